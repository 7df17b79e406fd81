using AngleSharp.Html.Parser;
using SiteWatch.Core.Checks;
using SiteWatch.Core.Checks.DeadLink;
using SiteWatch.Core.Model;
using SiteWatch.Core.Rules;
using SiteWatch.TestKit;

namespace SiteWatch.Core.Tests.Checks.DeadLink;

public sealed class DeadLinkCheckTests
{
    private static readonly DateTimeOffset AsOf = new(2026, 11, 20, 10, 0, 0, TimeSpan.FromHours(8));

    private static readonly RuleSet Rules = ShippedRules.Value with
    {
        DeadLink = new DeadLinkRules { SoftNotFoundTitles = ["页面不存在"], SoftNotFoundPhrases = ["您访问的页面不存在"] },
    };

    [Fact]
    public void Complete_FlagsEachBrokenLinkOnce_WithWhyWhereAndHowOften()
    {
        var session = Begin();
        var gone = Link("http://www.x.gov.cn/gone.html", new FetchOutcome(FetchState.HttpError, 404, "HTTP 404"), occurrences: 3, onHome: true);
        var fine = Link("http://www.x.gov.cn/ok.html", FetchOutcome.Ok(200));
        var refused = Link("http://old.x.gov.cn/", new FetchOutcome(FetchState.Refused, null, "connection refused"), kind: LinkKind.Image, isInternal: false);
        var throttled = Link("http://www.y.gov.cn/", new FetchOutcome(FetchState.NotChecked, 429, "throttled"));

        var result = session.Complete(Crawl(gone, fine, refused, throttled));

        Assert.Equal(CheckOutcome.Flagged, result.Outcome);
        Assert.Collection(result.Findings,
            f =>
            {
                Assert.Equal("http://www.x.gov.cn/gone.html", f.Subject);
                Assert.Equal("http://www.x.gov.cn/list.html", f.Url);
                Assert.Equal("HTTP 404; link, on this site, on the home page", f.Detail);
                Assert.Equal(3, f.Occurrences);
                Assert.Equal(Severity.Deduct, f.Severity);
                Assert.Equal(AsOf, f.ObservedAt);
            },
            f => Assert.Equal("connection refused; image, external", f.Detail));
    }

    [Fact]
    public void Complete_FlagsASoftNotFoundPage_ReachedDirectlyOrThroughRedirects()
    {
        var session = Begin();
        var page = Page("http://www.x.gov.cn/special/1.html", "<html><head><title>页面不存在_某某市人民政府</title></head><body></body></html>");
        session.OnPage(page);
        var direct = Link("http://www.x.gov.cn/special/1.html", FetchOutcome.Ok(200));
        var redirected = Link("http://www.x.gov.cn/old/1.htm",
            FetchOutcome.Ok(200) with { FinalUrl = "http://www.x.gov.cn/special/1.html", RedirectChain = ["http://www.x.gov.cn/old/1.htm", "http://www.x.gov.cn/special/1.html"] });

        var result = session.Complete(Crawl(direct, redirected));

        Assert.Equal(2, result.Findings.Count);
        Assert.All(result.Findings, f => Assert.StartsWith("soft 404: HTTP 200 but the page says “页面不存在”", f.Detail));
        Assert.Equal("http://www.x.gov.cn/old/1.htm → http://www.x.gov.cn/special/1.html", result.Findings[1].Evidence);
    }

    [Fact]
    public void Complete_Passes_WhenEveryLinkLoads()
    {
        var session = Begin();
        session.OnPage(Page("http://www.x.gov.cn/a.html", "<html><head><title>通知公告</title></head><body><h1>关于开展检查的通知</h1><p>正文</p></body></html>"));

        var result = session.Complete(Crawl(Link("http://www.x.gov.cn/a.html", FetchOutcome.Ok(200))));

        Assert.Equal(CheckOutcome.Passed, result.Outcome);
    }

    private static ICheckSession Begin()
    {
        var target = new Target
        {
            Id = "4300000001", Kind = TargetKind.Website, Name = "某某市人民政府", Url = "http://www.x.gov.cn/", Organization = "某某市人民政府办公室",
            Region = "某某市",
        };
        var round = new Round
        {
            Id = "2026Q4", Kind = TargetKind.Website, AsOf = AsOf, SampleFraction = 1, Seed = 1, Status = RoundStatus.Running, CreatedAt = AsOf,
        };
        return new DeadLinkCheck().Begin(new CheckContext(target, round, Rules));
    }

    private static LinkRecord Link(string url, FetchOutcome outcome, int occurrences = 1, bool onHome = false, LinkKind kind = LinkKind.Anchor, bool isInternal = true) =>
        new(url, kind, "http://www.x.gov.cn/list.html") { Outcome = outcome, Occurrences = occurrences, OnHomePage = onHome, Internal = isInternal };

    private static SiteCrawl Crawl(params LinkRecord[] links) => new()
    {
        HomeUrl = "http://www.x.gov.cn/", HomeOutcome = FetchOutcome.Ok(200), Links = links, PagesCrawled = 1,
    };

    private static CrawledPage Page(string url, string html) => new()
    {
        Url = url, Depth = 1, Outcome = FetchOutcome.Ok(200), Document = new HtmlParser().ParseDocument(html),
    };
}
