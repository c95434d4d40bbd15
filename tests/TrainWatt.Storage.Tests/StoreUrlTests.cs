namespace TrainWatt.Storage.Tests;

/// <summary>
/// The masking rules (issue 13, H3): a secret in a store location is the user-info password and the value of any query
/// key named like a secret (password, passwd, pwd, secret, token, *key, sslpassword...). Oracle: libpq's URI form
/// (<c>postgresql://user:password@host/db?param=value</c>, where <c>password</c> is also a URI parameter).
/// </summary>
public class StoreUrlTests
{
    [Theory]
    [InlineData("postgres://tw@db/runs?password=hunter22", "postgres://tw@db/runs?password=***")]
    [InlineData("postgres://tw@db/runs?sslmode=require&password=hunter22&connect_timeout=5", "postgres://tw@db/runs?sslmode=require&password=***&connect_timeout=5")]
    [InlineData("postgres://tw:pw1@db/runs?PassWord=hunter22", "postgres://tw:***@db/runs?PassWord=***")]
    [InlineData("postgres://tw@db/runs?sslpassword=k3y&sslmode=verify-full", "postgres://tw@db/runs?sslpassword=***&sslmode=verify-full")]
    [InlineData("postgres://tw@db/runs?passwd=a&pwd=b&secret=c&token=d&api_key=e&key=f", "postgres://tw@db/runs?passwd=***&pwd=***&secret=***&token=***&api_key=***&key=***")]
    [InlineData("postgres://tw@db/runs?sslmode=require", "postgres://tw@db/runs?sslmode=require")]
    [InlineData("/home/me/trainwatt.db", "/home/me/trainwatt.db")]
    public void Mask_Hides_Every_Secret_And_Nothing_Else(string url, string masked)
        => Assert.Equal(masked, StoreUrl.Mask(url));

    [Theory]
    [InlineData("postgres://tw:pw1@db/runs?password=hunter22&sslmode=require", "postgres://tw@db/runs?sslmode=require")]
    [InlineData("postgres://tw@db/runs?password=hunter22", "postgres://tw@db/runs")]
    [InlineData("postgres://tw:***@db/runs?sslmode=require&token=***", "postgres://tw@db/runs?sslmode=require")]
    [InlineData("postgres://tw@db:5432/runs", "postgres://tw@db:5432/runs")]
    public void WithoutPassword_Drops_Every_Secret_And_Keeps_A_Usable_Url(string url, string without)
        => Assert.Equal(without, StoreUrl.WithoutPassword(url));

    [Fact]
    public void Scrub_Removes_The_Query_Password_From_A_Driver_Message()
    {
        string url = "postgres://tw@db/runs?password=hunter22%21&sslmode=require";

        string scrubbed = StoreUrl.Scrub("connect failed for Password=hunter22! and hunter22%21 (postgres://tw@db/runs?password=hunter22%21)", url);

        Assert.DoesNotContain("hunter22", scrubbed, StringComparison.Ordinal);
    }

    [Fact]
    public void Scrub_Masks_Any_Url_And_Secret_Key_In_A_Text_Even_Without_Knowing_The_Url()
    {
        string scrubbed = StoreUrl.Scrub("Unrecognized command or argument 'postgres://tw:pw@db/runs?token=t0ken99'. Host=db;Password=p4ss99;Port=5432");

        Assert.Equal("Unrecognized command or argument 'postgres://tw:***@db/runs?token=***'. Host=db;Password=***;Port=5432", scrubbed);
    }

    [Fact]
    public void Scrub_With_The_Command_Line_Removes_Every_Secret_It_Carries()
    {
        string[] args = ["runs", "list", "--db=postgres://tw:s3cr3t-pw@db/runs?sslpassword=cl13nt-k3y"];

        string scrubbed = StoreUrl.Scrub("the server said s3cr3t-pw is wrong; key cl13nt-k3y refused", args);

        Assert.Equal("the server said *** is wrong; key *** refused", scrubbed);
    }

    [Fact]
    public void Scrub_Does_Not_Mangle_Words_That_Contain_A_Short_Secret()
        => Assert.Equal("pwd is ***, not pwx", StoreUrl.Scrub("pwd is pw, not pwx", "postgres://tw:pw@db/runs"));
}
