using Microsoft.AspNetCore.Http;
using SiteWatch.Core.Model;
using SiteWatch.Core.Rules;
using SiteWatch.Crawling.Accounts;
using SiteWatch.TestKit;
using static SiteWatch.Crawling.Tests.Accounts.AccountFixtures;

namespace SiteWatch.Crawling.Tests.Accounts;

/// <summary>m.weibo.cn over HTTPS: a fixture site with a certificate for m.weibo.cn signed by a test root trusted through Network:ExtraTrustedRoots.</summary>
public sealed class WeiboReaderTests
{
    private const string Host = "m.weibo.cn";
    private const string Path = "/api/container/getIndex";

    private static readonly PlatformRules Weibo = Platform("weibo",
        "https://m.weibo.cn/api/container/getIndex?type=uid&value={account}&containerid=107603{account}", key: "weibo") with
    {
        ClosedPhrases = [],
    };

    private const string Posts = """
        {"ok":1,"data":{"cardlistInfo":{"containerid":"1076031234567"},"cards":[
          {"card_type":9,"mblog":{"id":"5001","created_at":"Mon Jan 05 09:00:00 +0800 2026","text":"置顶：临江县政务服务指南","isTop":1}},
          {"card_type":9,"mblog":{"id":"5002","created_at":"Sat Mar 07 09:00:00 +0800 2026","text":"另一条置顶","title":{"text":"置顶","base_color":1}}},
          {"card_type":58,"card_group":[]},
          {"card_type":9,"mblog":{"id":"5010","created_at":"刚刚","text":"<a href='/n/临江发布'>@临江发布</a> 今日天气"}},
          {"card_type":9,"mblog":{"id":5011,"created_at":"5分钟前","text":"五分钟前"}},
          {"card_type":9,"mblog":{"id":"5012","created_at":"3小时前","text":"三小时前"}},
          {"card_type":9,"mblog":{"id":"5013","created_at":"昨天 10:00","text":"昨天"}},
          {"card_type":11,"card_group":[{"card_type":9,"mblog":{"id":"5014","created_at":"11-20","text":"今年"}}]},
          {"card_type":9,"mblog":{"id":"5015","created_at":"2025-11-20","text":"去年"}},
          {"card_type":9,"mblog":{"id":"5016","created_at":"Fri Nov 20 02:00:00 +0000 2026","text":"绝对时间"}}
        ]}}
        """;

    [Fact]
    public async Task ReadAsync_ReadsPosts_MarksPinned_AndDatesRelativeFormsFromTheClock()
    {
        await using var weibo = await WeiboSite.StartAsync(Json(Posts));

        var feed = await weibo.ReadAsync("1234567");

        Assert.Equal(FeedState.Ok, feed.State);
        Assert.Equal("https://m.weibo.cn/api/container/getIndex?type=uid&value=1234567&containerid=1076031234567", feed.Url);
        Assert.Equal(["5001", "5002", "5010", "5011", "5012", "5013", "5014", "5015", "5016"], feed.Posts.Select(p => p.Id));
        Assert.Equal([true, true, false, false, false, false, false, false, false], feed.Posts.Select(p => p.Pinned));
        Assert.Equal(
            new DateTimeOffset?[]
            {
                Beijing(2026, 1, 5, 9), Beijing(2026, 3, 7, 9), Now, Now.AddMinutes(-5), Now.AddHours(-3), Beijing(2026, 11, 20, 10),
                Beijing(2026, 11, 20), Beijing(2025, 11, 20), Beijing(2026, 11, 20, 10),
            },
            feed.Posts.Select(p => p.PublishedAt));
        Assert.Equal("https://m.weibo.cn/detail/5010", feed.Posts[2].Url);
        Assert.Contains("@临江发布", feed.Posts[2].Text);
        Assert.Contains("GET /api/container/getIndex?type=uid&value=1234567&containerid=1076031234567", weibo.Site.Requests);
    }

    [Fact]
    public async Task ReadAsync_IsOkWithoutPosts_WhenWeiboSaysThereIsNoContent()
    {
        await using var weibo = await WeiboSite.StartAsync(Json("""{"ok":0,"msg":"这里还没有内容","data":{"cards":[]}}"""));

        var feed = await weibo.ReadAsync("1234567");

        Assert.Equal(FeedState.Ok, feed.State);
        Assert.Empty(feed.Posts);
    }

    [Fact]
    public async Task ReadAsync_IsClosed_WhenWeiboSaysTheUserDoesNotExist()
    {
        await using var weibo = await WeiboSite.StartAsync(Json("""{"ok":0,"errno":"20003","msg":"用户不存在"}"""));

        var feed = await weibo.ReadAsync("1234567");

        Assert.Equal(FeedState.Closed, feed.State);
        Assert.Equal("weibo says 用户不存在: 用户不存在", feed.Message);
    }

    [Fact]
    public async Task ReadAsync_IsUnreadable_WhenWeiboRefusesForAnUnknownReason()
    {
        await using var weibo = await WeiboSite.StartAsync(Json("""{"ok":0,"msg":"参数错误"}"""));

        var feed = await weibo.ReadAsync("1234567");

        Assert.Equal(FeedState.Unreadable, feed.State);
        Assert.Equal("weibo says: 参数错误 (ok: 0)", feed.Message);
    }

    [Fact]
    public async Task ReadAsync_IsGone_WhenTheApiAnswers404()
    {
        await using var weibo = await WeiboSite.StartAsync(c =>
        {
            c.Response.StatusCode = 404;
            return Task.CompletedTask;
        });

        var feed = await weibo.ReadAsync("1234567");

        Assert.Equal(FeedState.Gone, feed.State);
        Assert.Equal(404, feed.StatusCode);
    }

    [Fact]
    public async Task ReadAsync_IsThrottled_AfterRetries_WhenWeiboAsksToLogIn()
    {
        await using var weibo = await WeiboSite.StartAsync(Json("""{"ok":-100,"url":"https://passport.weibo.com/sso/signin"}"""));

        var feed = await weibo.ReadAsync("1234567");

        Assert.Equal(FeedState.Throttled, feed.State);
        Assert.Equal("weibo asks to log in (ok: -100) on 3 tries", feed.Message);
        Assert.Equal(3, weibo.Site.Requests.Count);
        Assert.Equal([TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10)], weibo.Clock.Waits);
    }

    [Fact]
    public async Task ReadAsync_IsThrottled_WhenRedirectedToTheLoginPage()
    {
        await using var weibo = await WeiboSite.StartAsync(c =>
        {
            c.Response.StatusCode = 302;
            c.Response.Headers.Location = "https://passport.weibo.com/visitor/visitor?entry=miniblog";
            return Task.CompletedTask;
        }, extraHost: "passport.weibo.com", extra: s => s.Handle("/visitor/visitor", Text("<html><body>Sina Visitor System</body></html>", "text/html")));

        var feed = await weibo.ReadAsync("1234567");

        Assert.Equal(FeedState.Throttled, feed.State);
        Assert.StartsWith("weibo sent us to its login page (passport.weibo.com)", feed.Message);
    }

    private static RequestDelegate Json(string json) => Text(json, "application/json; charset=utf-8");

    /// <summary>m.weibo.cn (and any extra host) served over HTTPS by one fixture site, with services that trust its root.</summary>
    private sealed class WeiboSite : IAsyncDisposable
    {
        private readonly TempFolder folder;

        private WeiboSite(TempFolder folder, FakeSite site, TestServices services, FakeClock clock)
        {
            this.folder = folder;
            Site = site;
            Services = services;
            Clock = clock;
        }

        public FakeSite Site { get; }

        public TestServices Services { get; }

        public FakeClock Clock { get; }

        public static async Task<WeiboSite> StartAsync(RequestDelegate api, string? extraHost = null, Action<FakeSiteBuilder>? extra = null)
        {
            var folder = new TempFolder();
            using var root = TestCertificates.Authority();
            // Valid a year either side of the real date, so that the fixed clock (2026-11-21) sees it valid too.
            var now = TimeProvider.System.GetUtcNow();
            var hosts = extraHost is null ? new[] { Host } : [Host, extraHost];
            var leaf = TestCertificates.Leaf(hosts, now.AddYears(-1), now.AddYears(1), root);
            var site = await FakeSite.StartAsync(s =>
            {
                s.Handle(Path, api);
                extra?.Invoke(s);
            }, leaf);
            var clock = Clock();
            var services = AccountFixtures.Services(clock, site,
                new Dictionary<string, string?> { ["Network:ExtraTrustedRoots:0"] = TestCertificates.WritePem(root, folder.File("root.pem")) }, hosts);
            return new WeiboSite(folder, site, services, clock);
        }

        public Task<AccountFeed> ReadAsync(string uid) =>
            Services.Get<IEnumerable<IAccountReader>>().Single(r => r.Adapter == "weibo")
                .ReadAsync(Account($"https://weibo.com/u/{uid}", uid, "weibo"), Weibo, CancellationToken.None);

        public async ValueTask DisposeAsync()
        {
            await Services.DisposeAsync();
            await Site.DisposeAsync();
            folder.Dispose();
        }
    }
}
