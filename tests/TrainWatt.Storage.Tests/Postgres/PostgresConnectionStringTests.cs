using Npgsql;
using TrainWatt.Storage.Postgres;

using TrainWatt.Storage;

namespace TrainWatt.Storage.Tests.Postgres;

public class PostgresConnectionStringTests
{
    [Theory]
    [InlineData("postgres://alice:s3cret@db.example:6543/runs", "postgres://alice:***@db.example:6543/runs")]
    [InlineData("postgresql://alice@db/runs", "postgresql://alice@db/runs")]
    [InlineData("postgres://db/runs", "postgres://db/runs")]
    [InlineData("postgres://a:p%40ss@h/d?sslmode=require", "postgres://a:***@h/d?sslmode=require")]
    public void Should_Mask_The_Password_And_Nothing_Else(string url, string masked)
        => Assert.Equal(masked, StoreUrl.Mask(url));

    [Fact]
    public void Should_Map_The_Url_Parts_And_Libpq_Parameters_To_Npgsql()
    {
        // Oracle: libpq's URI form (user:password@host:port/dbname?param=value), percent-decoded.
        var builder = new NpgsqlConnectionStringBuilder(PostgresConnectionString.ToNpgsql("postgres://al%20ice:p%40ss@db.example:6543/my%20runs?sslmode=verify-full&connect_timeout=7"));
        Assert.Equal("db.example", builder.Host);
        Assert.Equal(6543, builder.Port);
        Assert.Equal("al ice", builder.Username);
        Assert.Equal("p@ss", builder.Password);
        Assert.Equal("my runs", builder.Database);
        Assert.Equal(SslMode.VerifyFull, builder.SslMode);
        Assert.Equal(7, builder.Timeout);
    }

    [Fact]
    public void Should_Default_To_Port_5432_And_Leave_The_Password_To_Pgpass_Or_PGPASSWORD()
    {
        var builder = new NpgsqlConnectionStringBuilder(PostgresConnectionString.ToNpgsql("postgres://bob@db/runs"));
        Assert.Equal(5432, builder.Port);
        Assert.Null(builder.Password);
    }

    [Fact]
    public void Should_Refuse_A_Bad_Url_Or_Parameter_Without_Showing_The_Password()
    {
        var bad = Assert.Throws<StoreException>(() => PostgresConnectionString.ToNpgsql("postgres://u:topsecret@h/d?no_such_parameter=1"));
        Assert.DoesNotContain("topsecret", bad.Message, StringComparison.Ordinal);
        Assert.Contains("no_such_parameter", bad.Message, StringComparison.Ordinal);
        Assert.Equal("postgres://u:***@h/d?no_such_parameter=1", bad.Location);
        Assert.Throws<StoreException>(() => PostgresConnectionString.ToNpgsql("postgres://"));
    }

    [Fact]
    public void Should_Scrub_The_Password_From_Driver_Messages()
        => Assert.Equal("auth failed for *** at h", StoreUrl.Scrub("auth failed for pw123 at h", "postgres://u:pw123@h/d"));
}
