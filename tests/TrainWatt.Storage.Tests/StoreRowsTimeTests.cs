namespace TrainWatt.Storage.Tests;

/// <summary>The store's time representation (<see cref="StoreRows.ToSeconds"/>, <see cref="StoreRows.FromSeconds"/>): seconds since 1970, microseconds.</summary>
public class StoreRowsTimeTests
{
    [Fact]
    public void Every_Representable_Time_Reads_Back_To_The_Microsecond()
    {
        // Oracle: the round trip itself, at the two ends of DateTimeOffset's range and at the epoch.
        var start = new DateTimeOffset(1, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var end = new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.Zero);
        Assert.Equal(start, StoreRows.FromSeconds(StoreRows.ToSeconds(start)));
        Assert.Equal(end, StoreRows.FromSeconds(StoreRows.ToSeconds(end)));
        Assert.Equal(DateTimeOffset.UnixEpoch.AddTicks(20), StoreRows.FromSeconds(1.5e-6)); // 1.5 us rounds half to even: 2 us = 20 ticks
        // The last instant (9999-12-31T23:59:59.9999999) is one double that rounds past the last microsecond: it reads as the last instant.
        Assert.Equal(DateTimeOffset.MaxValue, StoreRows.FromSeconds(StoreRows.ToSeconds(DateTimeOffset.MaxValue)));
    }

    [Theory]
    [InlineData(1e300)] // read back silently as 1969-12-31T23:59:59.999999Z before (the tick conversion overflowed)
    [InlineData(-1e300)]
    [InlineData(3e11)] // the year 11476: ArgumentOutOfRangeException from AddTicks before
    [InlineData(-7e10)] // before the year 1
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_Time_Outside_The_Years_1_To_9999_Is_Refused_As_Bad_Data(double seconds)
    {
        var e = Assert.Throws<InvalidDataException>(() => StoreRows.FromSeconds(seconds));
        Assert.Contains("is not a date between the years 1 and 9999", e.Message, StringComparison.Ordinal);
    }
}
