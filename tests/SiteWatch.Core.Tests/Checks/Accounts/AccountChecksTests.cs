using SiteWatch.Core.Checks;
using SiteWatch.Core.Checks.AccountUnreachable;
using SiteWatch.Core.Checks.DuplicateAccount;
using SiteWatch.Core.Checks.SleepingAccount;
using SiteWatch.Core.Checks.ZombieAccount;
using SiteWatch.Core.Model;
using SiteWatch.TestKit;

namespace SiteWatch.Core.Tests.Checks.Accounts;

/// <summary>sleeping-account, zombie-account, account-unreachable and duplicate-account on read feeds, as-of 2026-11-23 10:00 +08:00.</summary>
public sealed class AccountChecksTests
{
    private static readonly DateTimeOffset AsOf = new(2026, 11, 23, 10, 0, 0, TimeSpan.FromHours(8));
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    public static TheoryData<string, string?, string?> Ages => new()
    {
        // newest post (local time, +08:00)        sleeping?                       zombie?
        { "2026-11-20 09:00", null, null },
        { "2026-11-09 23:59", null, null },                                     // 14 days: still awake
        { "2026-11-08 08:00", "newest post 2026-11-08 08:00, 15 days before 2026-11-23; limit 14 days", null },
        { "2026-08-25 12:00", "newest post 2026-08-25 12:00, 90 days before 2026-11-23; limit 14 days", null },
        { "2026-08-24 12:00", null, "newest post 2026-08-24, 91 days before 2026-11-23; limit 90 days" },
    };

    [Theory]
    [MemberData(nameof(Ages))]
    public void SleepingAndZombie_JudgeTheNewestPost_AndAZombieIsNotAlsoSleeping(string newest, string? sleeping, string? zombie)
    {
        var feed = Feed(FeedState.Ok, Post(DateTimeOffset.Parse(newest + " +08:00", System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal(sleeping, Single(new SleepingAccountCheck(), feed)?.Detail);
        Assert.Equal(zombie, Single(new ZombieAccountCheck(), feed)?.Detail);
    }

    [Fact]
    public void Sleeping_IgnoresAPinnedPost_WhenFindingTheNewest()
    {
        var feed = Feed(FeedState.Ok, Post(new DateTimeOffset(2026, 11, 22, 10, 0, 0, China), pinned: true), Post(new DateTimeOffset(2026, 10, 1, 10, 0, 0, China)));

        var finding = Single(new SleepingAccountCheck(), feed);

        Assert.Equal("newest post 2026-10-01 10:00, 53 days before 2026-11-23; limit 14 days (1 pinned post(s) not counted)", finding!.Detail);
        Assert.Equal(Severity.Veto, finding.Severity);
        Assert.Equal("1234567890", finding.Subject);
    }

    [Fact]
    public void Zombie_ReportsAnAccountWithoutPosts_AndOneWithOnlyAPinnedPost()
    {
        Assert.Equal("no post at all", Single(new ZombieAccountCheck(), Feed(FeedState.Ok))!.Detail);
        Assert.Equal("no dated post that is not pinned (1 post(s) read)",
            Single(new ZombieAccountCheck(), Feed(FeedState.Ok, Post(new DateTimeOffset(2026, 11, 22, 10, 0, 0, China), pinned: true)))!.Detail);
    }

    [Fact]
    public void TimeZones_CountDaysOnTheCalendarOfAsOf()
    {
        // 2026-11-08T17:00Z is 2026-11-09 01:00 in China: 14 days before as-of, not 15.
        Assert.Null(Single(new SleepingAccountCheck(), Feed(FeedState.Ok, Post(new DateTimeOffset(2026, 11, 8, 17, 0, 0, TimeSpan.Zero)))));
    }

    [Theory]
    [InlineData(FeedState.Gone, "HTTP 404", "gone: HTTP 404")]
    [InlineData(FeedState.Closed, "the page says 该账号已注销", "closed: the page says 该账号已注销")]
    [InlineData(FeedState.Unreadable, "not a feed: unexpected end of file, line 3", "unreadable after retries: not a feed: unexpected end of file, line 3")]
    public void Unreachable_ReportsGoneClosedAndUnreadable_AndNoOtherCheckJudgesThem(FeedState state, string message, string detail)
    {
        var feed = Feed(state) with { Message = message };

        Assert.Equal(detail, Single(new AccountUnreachableCheck(), feed)!.Detail);
        Assert.Null(Single(new SleepingAccountCheck(), feed));
        Assert.Null(Single(new ZombieAccountCheck(), feed));
    }

    [Fact]
    public void Unreachable_LeavesAThrottledAccountAlone()
    {
        Assert.Null(Single(new AccountUnreachableCheck(), Feed(FeedState.Throttled) with { Message = "HTTP 418" }));
    }

    [Fact]
    public void Duplicate_NamesEveryAccountOfTheOrganizationOnThePlatform()
    {
        var registry = new[]
        {
            Account() with { Id = "weibo:2", Account = "222", Name = "临江发布（旧）" },
            Account() with { Id = "wechat:1", Platform = "wechat", Account = "ljfb" },
            Account() with { Id = "weibo:3", Account = "333", Organization = "临江县教育局" },
        };

        var findings = Run(new DuplicateAccountCheck(), Feed(FeedState.Ok), registry);

        var finding = Assert.Single(findings);
        Assert.Equal("weibo/临江县人民政府办公室", finding.Subject);
        Assert.Equal("临江县人民政府办公室 runs 2 weibo accounts: 临江发布 (1234567890); 临江发布（旧） (222)", finding.Detail);
        Assert.Equal(Severity.Deduct, finding.Severity);
        Assert.Empty(Run(new DuplicateAccountCheck(), Feed(FeedState.Ok), [registry[1], registry[2]]));
    }

    private static Post Post(DateTimeOffset at, bool pinned = false) => new() { PublishedAt = at, Pinned = pinned, Title = "post", Url = "https://m.weibo.cn/status/1" };

    private static AccountFeed Feed(FeedState state, params Post[] posts) => new() { Url = "https://m.weibo.cn/u/1234567890", State = state, Posts = posts };

    private static Target Account() => new()
    {
        Id = "weibo:1234567890", Kind = TargetKind.Account, Name = "临江发布", Url = "https://m.weibo.cn/u/1234567890", Platform = "weibo",
        Account = "1234567890", Organization = "临江县人民政府办公室", Region = "临江县",
    };

    private static Finding? Single(ICheck check, AccountFeed feed) => Run(check, feed, []).SingleOrDefault();

    private static IReadOnlyList<Finding> Run(ICheck check, AccountFeed feed, IReadOnlyList<Target> registry)
    {
        var round = new Round { Id = "2026Q4", Kind = TargetKind.Account, AsOf = AsOf, SampleFraction = 1, Seed = 1, Status = RoundStatus.Running, CreatedAt = AsOf };
        var session = check.Begin(new CheckContext(Account(), round, ShippedRules.Value, registry));
        return session.Complete(new SiteCrawl { HomeUrl = feed.Url, HomeOutcome = FetchOutcome.Ok(200), Links = [], Feed = feed }).Findings;
    }
}
