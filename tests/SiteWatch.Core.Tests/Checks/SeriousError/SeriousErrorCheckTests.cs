using AngleSharp.Html.Parser;
using SiteWatch.Core.Checks;
using SiteWatch.Core.Checks.SeriousError;
using SiteWatch.Core.Model;
using SiteWatch.TestKit;

namespace SiteWatch.Core.Tests.Checks.SeriousError;

public sealed class SeriousErrorCheckTests
{
    private const string Home = "http://www.linjiang.gov.cn/";
    private static readonly DateTimeOffset AsOf = new(2026, 11, 20, 10, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public void Complete_ReportsEachPhraseOnce_WithItsSentence_AndCountsPages()
    {
        var session = new SeriousErrorCheck().Begin(Context());
        session.OnPage(Page(Home, true, "<p>两岸交流持续推进。据报道，台湾政府近日宣布了新的措施，引发关注。其他内容。</p>"));
        session.OnPage(Page(Home + "art/1.html", false, "<div>另据消息，台湾政府发言人表示……</div><script>var s='台湾总统';</script>"));

        var result = session.Complete(new SiteCrawl { HomeUrl = Home, HomeOutcome = FetchOutcome.Ok(200), Links = [] });

        var finding = Assert.Single(result.Findings);
        Assert.Equal("台湾政府", finding.Subject);
        Assert.Equal(Home, finding.Url);
        Assert.Equal(2, finding.Occurrences);
        Assert.Equal(Severity.Veto, finding.Severity);
        Assert.Equal("“台湾政府” in the page text; on the home page", finding.Detail);
        Assert.Equal("据报道，台湾政府近日宣布了新的措施，引发关注。", finding.Evidence);
    }

    [Fact]
    public void Complete_Passes_WhenNoPhraseIsPresent_AndLeavesTheDocumentAsItWas()
    {
        var session = new SeriousErrorCheck().Begin(Context());
        var page = Page(Home, true, "<p>台湾地区领导人选举结果揭晓。</p><script>var cpro_id='u1';</script>");

        session.OnPage(page);

        Assert.Equal(CheckOutcome.Passed, session.Complete(new SiteCrawl { HomeUrl = Home, HomeOutcome = FetchOutcome.Ok(200), Links = [] }).Outcome);
        Assert.Single(page.Document!.QuerySelectorAll("script"));
    }

    private static CrawledPage Page(string url, bool isHome, string body) => new()
    {
        Url = url, Depth = isHome ? 0 : 1, IsHomePage = isHome, Outcome = FetchOutcome.Ok(200),
        Document = new HtmlParser().ParseDocument($"<html><body>{body}</body></html>"),
    };

    private static CheckContext Context() => new(
        new Target
        {
            Id = "4306260001", Kind = TargetKind.Website, Name = "临江县人民政府", Url = Home, Organization = "临江县人民政府办公室",
            Region = "临江县", SiteCode = "4306260001",
        },
        new Round { Id = "2026Q4", Kind = TargetKind.Website, AsOf = AsOf, SampleFraction = 1, Seed = 1, Status = RoundStatus.Running, CreatedAt = AsOf },
        ShippedRules.Value);
}
