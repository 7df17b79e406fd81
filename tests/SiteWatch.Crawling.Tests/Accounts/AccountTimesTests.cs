using SiteWatch.Crawling.Accounts;
using static SiteWatch.Crawling.Tests.Accounts.AccountFixtures;

namespace SiteWatch.Crawling.Tests.Accounts;

public sealed class AccountTimesTests
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    [Theory]
    [InlineData("Sat, 21 Nov 2026 10:00:00 +0800", "2026-11-21T10:00:00+08:00")]
    [InlineData("Sat, 21 Nov 2026 02:00:00 GMT", "2026-11-21T10:00:00+08:00")]
    [InlineData("21 Nov 2026 02:00 UT", "2026-11-21T10:00:00+08:00")]
    [InlineData("Sat, 21 Nov 26 10:00:00 CST", "2026-11-21T10:00:00+08:00")]
    [InlineData("Fri, 20 Nov 2026 21:00:00 EST", "2026-11-21T10:00:00+08:00")]
    [InlineData("Sat Nov 21 10:00:00 +0800 2026", "2026-11-21T10:00:00+08:00")]
    [InlineData("2026-11-21T02:00:00Z", "2026-11-21T10:00:00+08:00")]
    [InlineData("2026-11-21T10:00:00.123+08:00", "2026-11-21T10:00:00.123+08:00")]
    [InlineData("2026-11-21 10:00:00", "2026-11-21T10:00:00+08:00")]
    [InlineData("2026/11/21 10:00", "2026-11-21T10:00:00+08:00")]
    [InlineData("2026年11月21日 10:00", "2026-11-21T10:00:00+08:00")]
    [InlineData("2026-11-21", "2026-11-21T00:00:00+08:00")]
    public void Parse_ReadsTheInstant_WhenTheFormIsKnown(string text, string expected)
    {
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), AccountTimes.Parse(text, China));
    }

    [Theory]
    [InlineData("sometime")]
    [InlineData("2026-02-30 10:00")]
    [InlineData("Sat, 21 Foo 2026 10:00:00 +0800")]
    [InlineData("2026-11-21 25:00")]
    [InlineData("")]
    public void Parse_ReturnsNull_WhenTheTextIsNoTime(string text)
    {
        Assert.Null(AccountTimes.Parse(text, China));
    }

    [Theory]
    [InlineData("刚刚", "2026-11-21T12:00:00+08:00")]
    [InlineData("30秒前", "2026-11-21T11:59:30+08:00")]
    [InlineData("5分钟前", "2026-11-21T11:55:00+08:00")]
    [InlineData("3小时前", "2026-11-21T09:00:00+08:00")]
    [InlineData("3天前", "2026-11-18T12:00:00+08:00")]
    [InlineData("今天 08:30", "2026-11-21T08:30:00+08:00")]
    [InlineData("昨天 10:00", "2026-11-20T10:00:00+08:00")]
    [InlineData("前天 23:59", "2026-11-19T23:59:00+08:00")]
    [InlineData("11-20", "2026-11-20T00:00:00+08:00")]
    [InlineData("11-20 10:00", "2026-11-20T10:00:00+08:00")]
    [InlineData("12-25", "2025-12-25T00:00:00+08:00")]
    public void Relative_ReadsAgainstTheFetchTime_InThePlatformsZone(string text, string expected)
    {
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), AccountTimes.Relative(text, Now, China));
    }

    [Fact]
    public void Relative_UsesThePlatformsDay_NotUtcs()
    {
        var earlyMorning = new DateTimeOffset(2026, 11, 20, 17, 0, 0, TimeSpan.Zero); // 2026-11-21 01:00 in Beijing

        Assert.Equal(Beijing(2026, 11, 20, 10), AccountTimes.Relative("昨天 10:00", earlyMorning, China));
    }
}
