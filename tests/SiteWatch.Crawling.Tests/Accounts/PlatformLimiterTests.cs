using SiteWatch.Crawling.Accounts;
using SiteWatch.TestKit;
using static SiteWatch.Crawling.Tests.Accounts.AccountFixtures;

namespace SiteWatch.Crawling.Tests.Accounts;

public sealed class PlatformLimiterTests
{
    [Fact]
    public async Task AcquireAsync_SpacesRequests_ToRequestsPerMinute()
    {
        var clock = Clock();
        var limiter = new PlatformLimiter(clock);
        var weibo = Platform("weibo", key: "weibo") with { RequestsPerMinute = 30 };

        var waits = new List<TimeSpan>();
        for (var i = 0; i < 4; i++)
        {
            waits.Add(await limiter.AcquireAsync(weibo, CancellationToken.None));
        }

        Assert.Equal([TimeSpan.Zero, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2)], waits);
        Assert.Equal(Now.AddSeconds(6), clock.GetUtcNow());
    }

    [Fact]
    public async Task AcquireAsync_DoesNotWait_WhenTheSpacingHasPassed_OrForAnotherPlatform()
    {
        var clock = Clock();
        var limiter = new PlatformLimiter(clock);
        var weibo = Platform("weibo", key: "weibo") with { RequestsPerMinute = 6 };
        var douyin = Platform("rss", key: "douyin") with { RequestsPerMinute = 6 };

        await limiter.AcquireAsync(weibo, CancellationToken.None);
        var other = await limiter.AcquireAsync(douyin, CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(10));
        var later = await limiter.AcquireAsync(weibo, CancellationToken.None);

        Assert.Equal(TimeSpan.Zero, other);
        Assert.Equal(TimeSpan.Zero, later);
        Assert.Empty(clock.Waits);
    }

    [Fact]
    public async Task AcquireAsync_NeverWaits_WhenTheRateIsZero()
    {
        var clock = Clock();
        var limiter = new PlatformLimiter(clock);
        var unlimited = Platform("rss") with { RequestsPerMinute = 0 };

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(TimeSpan.Zero, await limiter.AcquireAsync(unlimited, CancellationToken.None));
        }
    }
}
