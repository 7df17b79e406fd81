using AngleSharp.Html.Parser;
using SiteWatch.Core.Checks;
using SiteWatch.Core.Checks.MissingIdentity;
using SiteWatch.Core.Model;
using SiteWatch.Crawling.Html;
using SiteWatch.TestKit;

namespace SiteWatch.Core.Tests.Checks.MissingIdentity;

public sealed class MissingIdentityCheckTests
{
    private const string Home = "http://www.linjiang.gov.cn/";
    private static readonly DateTimeOffset AsOf = new(2026, 11, 20, 10, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public void Complete_Passes_WhenEveryMarkIsShown()
    {
        var result = Run("""
            <div class="footer"><p>主办单位：临江县人民政府办公室　网站标识码：4306260001</p>
            <p><a href="https://beian.miit.gov.cn/">湘ICP备05001234号-1</a>　湘公网安备 43062602000123号</p>
            <p><a href="https://bszs.conac.cn/sitename?method=show&amp;id=1"><img src="https://dcs.conac.cn/image/red.png"></a></p></div>
            """);

        Assert.Equal(CheckOutcome.Passed, result.Outcome);
    }

    [Fact]
    public void Complete_AcceptsTheBadge_AsALocalImageOnly()
    {
        var result = Run("""
            <p>网站标识码:4306260001 湘ICP备05001234号 湘公网安备43062602000123号</p>
            <img src="/images/dzjg.png" alt="党政机关">
            """);

        Assert.Equal(CheckOutcome.Passed, result.Outcome);
    }

    [Fact]
    public void Complete_ReportsEachMissingMark_WithItsSubject()
    {
        var result = Run("""
            <head><meta name="SiteIDCode" content="4306260001"></head>
            <p>版权所有：临江县人民政府 电话：0730-1234567 备案中</p><a href="http://www.gov.cn/">中国政府网</a>
            """);

        Assert.Equal(["site-code", "icp", "psb", "party-gov-badge"], result.Findings.Select(f => f.Subject));
        Assert.Equal("网站标识码 not shown on the home page (only in <meta name=\"SiteIDCode\" content=\"4306260001\">)", result.Findings[0].Detail);
        Assert.All(result.Findings, f =>
        {
            Assert.Equal("missing-identity", f.Check);
            Assert.Equal(Severity.Deduct, f.Severity);
            Assert.Equal(Home, f.Url);
        });
    }

    [Fact]
    public void Complete_SaysSo_WhenTheShownCodeIsNotTheRegisteredOne()
    {
        var result = Run("<p>网站标识码：4306260009 湘ICP备05001234号 湘公网安备 43062602000123号</p><img alt=\"党政机关网站标识\" src=\"/b.png\">");

        var finding = Assert.Single(result.Findings);
        Assert.Equal("site-code", finding.Subject);
        Assert.Equal("网站标识码 on the page is 4306260009, the registered code is 4306260001", finding.Detail);
        Assert.Contains("网站标识码：4306260009", finding.Evidence);
    }

    [Fact]
    public void Complete_CannotDecide_WhenTheHomePageWasNotRead()
    {
        var session = new MissingIdentityCheck().Begin(Context());
        session.OnPage(new CrawledPage { Url = Home, Depth = 0, IsHomePage = true, Outcome = new FetchOutcome(FetchState.Timeout, null, "timeout") });

        var result = session.Complete(new SiteCrawl { HomeUrl = Home, HomeOutcome = FetchOutcome.Ok(200), Links = [] });

        Assert.Equal(CheckOutcome.Skipped, result.Outcome);
        Assert.Contains("could not be read", result.SkipReason);
    }

    private static CheckResult Run(string html)
    {
        var document = new HtmlParser().ParseDocument($"<html>{html}</html>");
        var session = new MissingIdentityCheck().Begin(Context());
        session.OnPage(new CrawledPage
        {
            Url = Home, Depth = 0, IsHomePage = true, Outcome = FetchOutcome.Ok(200), Document = document,
            Links = LinkExtractor.Extract(document, new Uri(Home)),
        });
        return session.Complete(new SiteCrawl { HomeUrl = Home, HomeOutcome = FetchOutcome.Ok(200), Links = [] });
    }

    private static CheckContext Context() => new(
        new Target
        {
            Id = "4306260001", Kind = TargetKind.Website, Name = "临江县人民政府", Url = Home, Organization = "临江县人民政府办公室",
            Region = "临江县", SiteCode = "4306260001",
        },
        new Round { Id = "2026Q4", Kind = TargetKind.Website, AsOf = AsOf, SampleFraction = 1, Seed = 1, Status = RoundStatus.Running, CreatedAt = AsOf },
        ShippedRules.Value);
}
