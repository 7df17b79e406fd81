using SiteWatch.Core.Model;
using SiteWatch.Crawling.Accounts;
using SiteWatch.TestKit;
using static SiteWatch.Crawling.Tests.Accounts.AccountFixtures;

namespace SiteWatch.Crawling.Tests.Accounts;

/// <summary>Debian's Chromium (tests/setup.sh), as in ChromiumRendererTests.</summary>
public sealed class BrowserReaderTests
{
    private const string Host = "mp.linjiang.gov.cn";

    [Fact]
    public async Task ReadAsync_ReadsPosts_BuiltByAnInlineScript_AndIsGone_ForA404()
    {
        const string page = """
            <html><head><meta charset="utf-8"><title>临江发布</title></head><body>
            <ul class="posts"></ul>
            <script>
              var posts = [["临江县政务服务指南", "2025-03-01 09:00", true], ["关于冬季供暖的通知", "2026-11-20 10:00", false]];
              document.querySelector('ul.posts').innerHTML = posts.map(function (p, i) {
                return '<li>' + (p[2] ? '<span class="top">置顶</span>' : '') + '<a class="title" href="/p/' + i + '.html">' + p[0] + '</a><span class="time">' + p[1] + '</span></li>';
              }).join('');
            </script>
            </body></html>
            """;
        await using var site = await FakeSite.StartAsync(s => s.Page("/u/linjiang", page));
        await using var services = Services(Clock(), site, Host);
        var reader = services.Get<IEnumerable<IAccountReader>>().OfType<BrowserReader>().Single();
        var platform = HtmlReaderTests.Selectors with { Adapter = "browser" };

        var feed = await reader.ReadAsync(Account($"http://{Host}/u/linjiang"), platform, CancellationToken.None);
        var missing = await reader.ReadAsync(Account($"http://{Host}/u/nobody"), platform, CancellationToken.None);

        Assert.True(feed.State == FeedState.Ok, feed.Message);
        Assert.Equal(["临江县政务服务指南", "关于冬季供暖的通知"], feed.Posts.Select(p => p.Title));
        Assert.Equal([true, false], feed.Posts.Select(p => p.Pinned));
        Assert.Equal(new DateTimeOffset?[] { Beijing(2025, 3, 1, 9), Beijing(2026, 11, 20, 10) }, feed.Posts.Select(p => p.PublishedAt));
        Assert.Equal($"http://{Host}/p/1.html", feed.Posts[1].Url);
        Assert.Equal(FeedState.Gone, missing.State);
        Assert.Equal("HTTP 404", missing.Message);
    }

    [Fact]
    public async Task Constructor_DoesNotResolveTheRenderer_WhenRegisteredWithTheOtherReaders()
    {
        await using var services = new TestServices(new Dictionary<string, string?> { ["Browser:ExecutablePath"] = "/nonexistent/chromium" });

        var readers = services.Get<IEnumerable<IAccountReader>>().ToList();

        Assert.Equal(["rss", "weibo", "html", "browser"], readers.Select(r => r.Adapter));
        Assert.False(services.Get<Lazy<IPageRenderer>>().IsValueCreated);
    }
}
