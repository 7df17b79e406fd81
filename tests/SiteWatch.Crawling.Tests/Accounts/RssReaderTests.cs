using System.Text;
using SiteWatch.Core.Model;
using SiteWatch.Crawling.Accounts;
using SiteWatch.TestKit;
using static SiteWatch.Crawling.Tests.Accounts.AccountFixtures;

namespace SiteWatch.Crawling.Tests.Accounts;

public sealed class RssReaderTests
{
    private const string Host = "rsshub.linjiang.gov.cn";
    private const string Template = $"http://{Host}/weibo/user/{{account}}";

    private const string Rss20 = """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
          <channel>
            <title>临江发布的微博</title>
            <item><title>关于冬季供暖的通知</title><link>https://weibo.com/1234567/A1</link><guid>A1</guid>
              <description><![CDATA[<p>供暖将于11月22日开始</p>]]></description><pubDate>Sat, 21 Nov 2026 10:00:00 +0800</pubDate></item>
            <item><title>GMT</title><link>https://weibo.com/1234567/A2</link><pubDate>Fri, 20 Nov 2026 02:00:00 GMT</pubDate></item>
            <item><title>no offset</title><link>https://weibo.com/1234567/A3</link><pubDate>2026-11-19 10:00:00</pubDate></item>
            <item><title>no weekday, no seconds, CST</title><link>https://weibo.com/1234567/A4</link><pubDate>18 Nov 2026 10:00 CST</pubDate></item>
            <item><title>dc:date</title><link>https://weibo.com/1234567/A5</link><dc:date>2026-11-17T02:00:00Z</dc:date></item>
            <item><title>undated</title><link>https://weibo.com/1234567/A6</link><pubDate>sometime</pubDate></item>
          </channel>
        </rss>
        """;

    [Fact]
    public async Task ReadAsync_ReadsRss20_WithTimesInEveryZoneForm()
    {
        await using var site = await FakeSite.StartAsync(s => s.Handle("/weibo/user/1234567", Text(Rss20, "application/rss+xml; charset=utf-8")));
        await using var services = Services(Clock(), site, Host);

        var feed = await Reader(services).ReadAsync(Account("https://weibo.com/u/1234567", "1234567"), Platform("rss", Template), CancellationToken.None);

        Assert.Equal(FeedState.Ok, feed.State);
        Assert.Equal($"http://{Host}/weibo/user/1234567", feed.Url);
        Assert.Equal(
            [Beijing(2026, 11, 21, 10), Beijing(2026, 11, 20, 10), Beijing(2026, 11, 19, 10), Beijing(2026, 11, 18, 10), Beijing(2026, 11, 17, 10), null],
            feed.Posts.Select(p => p.PublishedAt));
        var first = feed.Posts[0];
        Assert.Equal("关于冬季供暖的通知", first.Title);
        Assert.Equal("https://weibo.com/1234567/A1", first.Url);
        Assert.Equal("A1", first.Id);
        Assert.Contains("供暖将于11月22日开始", first.Text);
        Assert.All(feed.Posts, p => Assert.False(p.Pinned));
    }

    [Fact]
    public async Task ReadAsync_ReadsAtom_PublishedElseUpdated()
    {
        const string atom = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom">
              <title>临江发布</title>
              <entry><id>urn:1</id><title>已发布</title><link rel="alternate" href="https://www.douyin.com/video/1"/>
                <published>2026-11-20T02:00:00Z</published><updated>2026-11-21T02:00:00Z</updated><summary>摘要</summary></entry>
              <entry><id>urn:2</id><title>只有更新时间</title><link href="https://www.douyin.com/video/2"/>
                <updated>2026-11-19T10:00:00+08:00</updated></entry>
            </feed>
            """;
        await using var site = await FakeSite.StartAsync(s => s.Handle("/douyin/user/abc", Text(atom, "application/atom+xml")));
        await using var services = Services(Clock(), site, Host);

        var feed = await Reader(services).ReadAsync(Account("https://www.douyin.com/user/abc", "abc"),
            Platform("rss", $"http://{Host}/douyin/user/{{account}}"), CancellationToken.None);

        Assert.Equal(FeedState.Ok, feed.State);
        Assert.Equal([Beijing(2026, 11, 20, 10), Beijing(2026, 11, 19, 10)], feed.Posts.Select(p => p.PublishedAt));
        Assert.Equal(["https://www.douyin.com/video/1", "https://www.douyin.com/video/2"], feed.Posts.Select(p => p.Url));
        Assert.Equal("urn:1", feed.Posts[0].Id);
        Assert.Equal("摘要", feed.Posts[0].Text);
    }

    [Fact]
    public async Task ReadAsync_ReadsJsonFeed_DatePublished()
    {
        const string json = """
            {"version":"https://jsonfeed.org/version/1.1","title":"临江发布","items":[
              {"id":"1","url":"https://www.toutiao.com/a1","title":"一","content_html":"<p>一</p>","date_published":"2026-11-20T10:00:00+08:00"},
              {"id":"2","title":"二","content_text":"二","date_published":"2026-11-19T02:00:00Z"},
              {"id":"3","title":"无时间"}
            ]}
            """;
        await using var site = await FakeSite.StartAsync(s => s.Handle("/toutiao/user/99", Text(json, "application/feed+json")));
        await using var services = Services(Clock(), site, Host);

        var feed = await Reader(services).ReadAsync(Account($"http://{Host}/toutiao/user/99"), Platform("rss"), CancellationToken.None);

        Assert.Equal(FeedState.Ok, feed.State);
        Assert.Equal([Beijing(2026, 11, 20, 10), Beijing(2026, 11, 19, 10), null], feed.Posts.Select(p => p.PublishedAt));
        Assert.Equal("https://www.toutiao.com/a1", feed.Posts[0].Url);
        Assert.Equal("二", feed.Posts[1].Text);
    }

    [Fact]
    public async Task ReadAsync_DecodesGbk_FromTheXmlDeclaration()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var gbk = Encoding.GetEncoding("GBK");
        const string feedText = """
            <?xml version="1.0" encoding="GBK"?>
            <rss version="2.0"><channel><title>临江县人民政府</title>
              <item><title>临江县关于做好冬季安全生产工作的通知</title><link>http://www.linjiang.gov.cn/art/1.html</link><pubDate>2026-11-20 09:30:00</pubDate></item>
            </channel></rss>
            """;
        await using var site = await FakeSite.StartAsync(s => s.Raw("/rss.xml", gbk.GetBytes(feedText), "text/xml"));
        await using var services = Services(Clock(), site, Host);

        var feed = await Reader(services).ReadAsync(Account($"http://{Host}/rss.xml"), Platform("rss"), CancellationToken.None);

        Assert.Equal(FeedState.Ok, feed.State);
        var post = Assert.Single(feed.Posts);
        Assert.Equal("临江县关于做好冬季安全生产工作的通知", post.Title);
        Assert.Equal(Beijing(2026, 11, 20, 9, 30), post.PublishedAt);
    }

    [Fact]
    public async Task ReadAsync_IsOkWithoutPosts_WhenTheFeedIsEmpty()
    {
        await using var site = await FakeSite.StartAsync(s => s.Handle("/empty.xml",
            Text("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>临江发布</title></channel></rss>", "application/xml")));
        await using var services = Services(Clock(), site, Host);

        var feed = await Reader(services).ReadAsync(Account($"http://{Host}/empty.xml"), Platform("rss"), CancellationToken.None);

        Assert.Equal(FeedState.Ok, feed.State);
        Assert.Empty(feed.Posts);
    }

    [Fact]
    public async Task ReadAsync_IsUnreadable_WithTheLine_WhenTheXmlIsMalformed()
    {
        const string broken = "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel>\n<item><title>一</title>\n<item></channel></rss>";
        await using var site = await FakeSite.StartAsync(s => s.Handle("/broken.xml", Text(broken, "application/rss+xml")));
        await using var services = Services(Clock(), site, Host);

        var feed = await Reader(services).ReadAsync(Account($"http://{Host}/broken.xml"), Platform("rss"), CancellationToken.None);

        Assert.Equal(FeedState.Unreadable, feed.State);
        Assert.StartsWith("not a feed: ", feed.Message);
        Assert.EndsWith(", line 4", feed.Message);
        Assert.DoesNotContain("\n", feed.Message!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_RefusesTheDtd_AndReadsNoFile_WhenTheFeedDeclaresAnExternalEntity()
    {
        using var folder = new TempFolder();
        var secret = folder.File("secret.txt");
        await File.WriteAllTextAsync(secret, "TOP-SECRET-MARKER");
        var hostile = $"""
            <?xml version="1.0"?>
            <!DOCTYPE rss [ <!ENTITY leak SYSTEM "file://{secret}"> <!ENTITY a "aaaaaaaaaa"> <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"> ]>
            <rss version="2.0"><channel><item><title>&leak;&b;</title><pubDate>Sat, 21 Nov 2026 10:00:00 +0800</pubDate></item></channel></rss>
            """;
        await using var site = await FakeSite.StartAsync(s => s.Handle("/hostile.xml", Text(hostile, "application/rss+xml")));
        await using var services = Services(Clock(), site, Host);

        var feed = await Reader(services).ReadAsync(Account($"http://{Host}/hostile.xml"), Platform("rss"), CancellationToken.None);

        Assert.Equal(FeedState.Unreadable, feed.State);
        Assert.Equal("not a feed: a DTD (<!DOCTYPE>) is not accepted in a feed, line 2", feed.Message);
        Assert.Empty(feed.Posts);
        Assert.DoesNotContain("TOP-SECRET", feed.Message);
    }

    [Fact]
    public async Task ReadAsync_SaysNotAFeed_WhenTheAnswerIsAnHtmlPage()
    {
        await using var site = await FakeSite.StartAsync(s => s.Page("/weibo/user/1234567",
            "<!DOCTYPE html><html><head><title>RSSHub</title></head><body><p>Welcome to RSSHub!</p></body></html>"));
        await using var services = Services(Clock(), site, Host);

        var feed = await Reader(services).ReadAsync(Account("https://weibo.com/u/1234567", "1234567"), Platform("rss", Template), CancellationToken.None);

        Assert.Equal(FeedState.Unreadable, feed.State);
        Assert.Equal("not a feed: an HTML page (text/html)", feed.Message);
    }

    [Fact]
    public async Task ReadAsync_IsClosed_WhenTheErrorPageSaysTheAccountIsClosed()
    {
        await using var site = await FakeSite.StartAsync(s => s.Page("/weibo/user/1234567",
            "<html><body><h1>Looks like something went wrong</h1><p>Error: 用户不存在</p></body></html>"));
        await using var services = Services(Clock(), site, Host);

        var feed = await Reader(services).ReadAsync(Account("https://weibo.com/u/1234567", "1234567"), Platform("rss", Template), CancellationToken.None);

        Assert.Equal(FeedState.Closed, feed.State);
        Assert.Equal("the platform says 用户不存在", feed.Message);
    }

    [Fact]
    public async Task ReadAsync_IsOk_WhenAPostQuotesAClosedPhrase()
    {
        const string feedText = """
            <rss version="2.0"><channel><item><title>如何办理？该账号已注销的用户请重新注册</title><pubDate>2026-11-20 10:00:00</pubDate></item></channel></rss>
            """;
        await using var site = await FakeSite.StartAsync(s => s.Handle("/rss.xml", Text(feedText, "application/rss+xml")));
        await using var services = Services(Clock(), site, Host);

        var feed = await Reader(services).ReadAsync(Account($"http://{Host}/rss.xml"), Platform("rss"), CancellationToken.None);

        Assert.Equal(FeedState.Ok, feed.State);
        Assert.Single(feed.Posts);
    }

    [Fact]
    public async Task ReadAsync_IsGone_WhenTheRouteAnswers404()
    {
        await using var site = await FakeSite.StartAsync(_ => { });
        await using var services = Services(Clock(), site, Host);

        var feed = await Reader(services).ReadAsync(Account("https://weibo.com/u/1234567", "1234567"), Platform("rss", Template), CancellationToken.None);

        Assert.Equal(FeedState.Gone, feed.State);
        Assert.Equal(404, feed.StatusCode);
        Assert.Equal("HTTP 404", feed.Message);
    }

    [Fact]
    public async Task ReadAsync_IsUnreadable_WhenTheRegistryLacksTheAccountIdTheTemplateNeeds()
    {
        await using var site = await FakeSite.StartAsync(_ => { });
        await using var services = Services(Clock(), site, Host);

        var feed = await Reader(services).ReadAsync(Account("https://weibo.com/u/1234567"), Platform("rss", Template), CancellationToken.None);

        Assert.Equal(FeedState.Unreadable, feed.State);
        Assert.Contains("no account id", feed.Message);
        Assert.Empty(site.Requests);
    }

    [Fact]
    public async Task ReadAsync_IsOk_AfterWaiting_WhenThrottledTwiceThenServed()
    {
        var clock = Clock();
        await using var site = await FakeSite.StartAsync(s => s.Handle("/weibo/user/1234567", ThrottledThen(2, 429, 1, Rss20, "application/rss+xml")));
        await using var services = Services(clock, site, Host);

        var feed = await Reader(services).ReadAsync(Account("https://weibo.com/u/1234567", "1234567"), Platform("rss", Template), CancellationToken.None);

        Assert.Equal(FeedState.Ok, feed.State);
        Assert.Equal(6, feed.Posts.Count);
        Assert.Equal(3, site.CountOf("GET /weibo/user/1234567"));
        Assert.Equal([TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10)], clock.Waits); // RetryBaseSeconds 5, doubled; Retry-After 1 s is shorter
    }

    [Fact]
    public async Task ReadAsync_IsThrottled_WhenEveryTryAnswers418()
    {
        var clock = Clock();
        await using var site = await FakeSite.StartAsync(s => s.Handle("/weibo/user/1234567", ThrottledThen(100, 418, null, Rss20, "application/rss+xml")));
        await using var services = Services(clock, site, Host);

        var feed = await Reader(services).ReadAsync(Account("https://weibo.com/u/1234567", "1234567"), Platform("rss", Template), CancellationToken.None);

        Assert.Equal(FeedState.Throttled, feed.State);
        Assert.Equal("throttled (HTTP 418) on 3 tries", feed.Message);
        Assert.Equal(418, feed.StatusCode);
        Assert.Equal(3, site.CountOf("GET /weibo/user/1234567"));
    }

    [Fact]
    public async Task ReadAsync_IsThrottledAtOnce_WhenRetryAfterIsBeyondTheCap()
    {
        var clock = Clock();
        await using var site = await FakeSite.StartAsync(s => s.Handle("/weibo/user/1234567", ThrottledThen(100, 429, 3600, Rss20, "application/rss+xml")));
        await using var services = Services(clock, site, Host);

        var feed = await Reader(services).ReadAsync(Account("https://weibo.com/u/1234567", "1234567"), Platform("rss", Template), CancellationToken.None);

        Assert.Equal(FeedState.Throttled, feed.State);
        Assert.Equal("throttled (HTTP 429): the platform asks to wait 3600 s", feed.Message);
        Assert.Equal(1, site.CountOf("GET /weibo/user/1234567"));
        Assert.Empty(clock.Waits);
    }

    [Fact]
    public async Task ReadAsync_SpacesRequests_ToThePlatformsRate()
    {
        var clock = Clock();
        await using var site = await FakeSite.StartAsync(s => s.Handle("/weibo/user/1234567", Text(Rss20, "application/rss+xml")));
        await using var services = Services(clock, site, Host);
        var platform = Platform("rss", Template) with { RequestsPerMinute = 20 };

        for (var i = 0; i < 3; i++)
        {
            await Reader(services).ReadAsync(Account("https://weibo.com/u/1234567", "1234567"), platform, CancellationToken.None);
        }

        Assert.Equal([TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3)], clock.Waits);
        Assert.Equal(Now.AddSeconds(6), clock.GetUtcNow());
    }

    private static RssReader Reader(TestServices services) =>
        services.Get<IEnumerable<IAccountReader>>().OfType<RssReader>().Single();
}
