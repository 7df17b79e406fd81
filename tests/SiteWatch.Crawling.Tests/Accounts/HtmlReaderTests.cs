using SiteWatch.Core.Model;
using SiteWatch.Core.Rules;
using SiteWatch.Crawling.Accounts;
using SiteWatch.TestKit;
using static SiteWatch.Crawling.Tests.Accounts.AccountFixtures;

namespace SiteWatch.Crawling.Tests.Accounts;

public sealed class HtmlReaderTests
{
    private const string Host = "mp.linjiang.gov.cn";

    internal static readonly PlatformRules Selectors = Platform("html", key: "county-mp") with
    {
        ItemSelector = "ul.posts > li",
        TimeSelector = ".time",
        TitleSelector = ".title",
        LinkSelector = "a.title",
        PinnedSelector = ".top",
    };

    internal const string AccountPage = """
        <html><head><meta charset="utf-8"><title>临江发布 - 账号主页</title></head><body>
        <div class="profile">临江发布 · 临江县人民政府新闻办公室</div>
        <ul class="posts">
          <li><span class="top">置顶</span><a class="title" href="/p/1.html">临江县政务服务指南</a><span class="time">2025-03-01 09:00</span></li>
          <li><a class="title" href="/p/9.html">关于冬季供暖的通知</a><span class="time">2026-11-20 10:00</span></li>
          <li><a class="title" href="/p/8.html">临江县第十届运动会开幕</a><span class="time">3天前</span></li>
          <li><a class="title" href="p/7.html">临江县秋季征兵公告</a><span class="time">2026年11月10日</span></li>
          <li><a class="title" href="https://mp.linjiang.gov.cn/p/6.html">没有时间的帖子</a></li>
          <li><a class="title" href="/p/5.html">机器时间</a><time class="time" datetime="2026-11-05T02:00:00Z">11月5日</time></li>
        </ul>
        </body></html>
        """;

    [Fact]
    public async Task ReadAsync_ReadsItemsBySelectors_WithPinnedAndRelativeTimes()
    {
        await using var site = await FakeSite.StartAsync(s => s.Page("/u/linjiang", AccountPage));
        await using var services = Services(Clock(), site, Host);

        var feed = await Reader(services).ReadAsync(Account($"http://{Host}/u/linjiang", platform: "county-mp"), Selectors, CancellationToken.None);

        Assert.Equal(FeedState.Ok, feed.State);
        Assert.Equal(
            ["临江县政务服务指南", "关于冬季供暖的通知", "临江县第十届运动会开幕", "临江县秋季征兵公告", "没有时间的帖子", "机器时间"],
            feed.Posts.Select(p => p.Title));
        Assert.Equal([true, false, false, false, false, false], feed.Posts.Select(p => p.Pinned));
        Assert.Equal(
            new DateTimeOffset?[]
            {
                Beijing(2025, 3, 1, 9), Beijing(2026, 11, 20, 10), Now.AddDays(-3),
                Beijing(2026, 11, 10, 23, 59, 59), // a day only: its last second
                null, Beijing(2026, 11, 5, 10),
            },
            feed.Posts.Select(p => p.PublishedAt));
        Assert.Equal($"http://{Host}/p/9.html", feed.Posts[1].Url);
        Assert.Equal($"http://{Host}/u/p/7.html", feed.Posts[3].Url);
        Assert.Equal("https://mp.linjiang.gov.cn/p/6.html", feed.Posts[4].Url);
    }

    [Fact]
    public async Task ReadAsync_IsClosed_WhenThePageSaysTheAccountIsClosed()
    {
        await using var site = await FakeSite.StartAsync(s => s.Page("/u/closed",
            "<html><body><div class=\"empty\">该账号已注销</div><ul class=\"posts\"></ul></body></html>"));
        await using var services = Services(Clock(), site, Host);

        var feed = await Reader(services).ReadAsync(Account($"http://{Host}/u/closed"), Selectors, CancellationToken.None);

        Assert.Equal(FeedState.Closed, feed.State);
        Assert.Equal("the page says 该账号已注销", feed.Message);
    }

    [Fact]
    public async Task ReadAsync_IsOk_WhenOnlyAPostQuotesAClosedPhrase()
    {
        await using var site = await FakeSite.StartAsync(s => s.Page("/u/linjiang",
            "<html><body><ul class=\"posts\"><li><a class=\"title\" href=\"/p/1.html\">提醒：该账号已注销的社保卡如何补办</a><span class=\"time\">2026-11-20 10:00</span></li></ul>"
            + "<script>var tip = '账号已被封禁';</script></body></html>"));
        await using var services = Services(Clock(), site, Host);

        var feed = await Reader(services).ReadAsync(Account($"http://{Host}/u/linjiang"), Selectors, CancellationToken.None);

        Assert.Equal(FeedState.Ok, feed.State);
        Assert.Single(feed.Posts);
    }

    [Fact]
    public async Task ReadAsync_IsUnreadable_WhenTheItemSelectorIsNotCss()
    {
        await using var site = await FakeSite.StartAsync(s => s.Page("/u/linjiang", AccountPage));
        await using var services = Services(Clock(), site, Host);

        var feed = await Reader(services).ReadAsync(Account($"http://{Host}/u/linjiang"), Selectors with { ItemSelector = "ul[[" }, CancellationToken.None);

        Assert.Equal(FeedState.Unreadable, feed.State);
        Assert.StartsWith("platform county-mp: a selector is not valid CSS", feed.Message);
    }

    [Fact]
    public async Task ReadAsync_IsUnreadable_WithTheReason_WhenTheServerFails()
    {
        await using var site = await FakeSite.StartAsync(s => s.Status("/u/linjiang", 500));
        await using var services = Services(Clock(), site, Host);

        var feed = await Reader(services).ReadAsync(Account($"http://{Host}/u/linjiang"), Selectors, CancellationToken.None);

        Assert.Equal(FeedState.Unreadable, feed.State);
        Assert.Equal("HTTP 500", feed.Message);
        Assert.Equal(3, site.CountOf("GET /u/linjiang")); // the fetcher's own retries of 5xx
    }

    [Fact]
    public async Task ReadAsync_IsUnreadable_WhenTheAnswerIsNotHtml()
    {
        await using var site = await FakeSite.StartAsync(s => s.Handle("/u/linjiang", Text("{\"ok\":1}", "application/json")));
        await using var services = Services(Clock(), site, Host);

        var feed = await Reader(services).ReadAsync(Account($"http://{Host}/u/linjiang"), Selectors, CancellationToken.None);

        Assert.Equal(FeedState.Unreadable, feed.State);
        Assert.Equal("not an HTML page (application/json)", feed.Message);
    }

    private static HtmlReader Reader(TestServices services) =>
        services.Get<IEnumerable<IAccountReader>>().OfType<HtmlReader>().Single();
}
