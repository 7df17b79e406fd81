using AngleSharp.Html.Parser;
using SiteWatch.Core.Checks;
using SiteWatch.Core.Checks.CommercialAd;
using SiteWatch.Core.Model;
using SiteWatch.Crawling.Html;
using SiteWatch.TestKit;

namespace SiteWatch.Core.Tests.Checks.CommercialAd;

public sealed class CommercialAdCheckTests
{
    private const string Home = "http://www.linjiang.gov.cn/";
    private static readonly DateTimeOffset AsOf = new(2026, 11, 20, 10, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public void Complete_FlagsEachAdSource_AndNothingElse()
    {
        var session = new CommercialAdCheck().Begin(Context());
        session.OnPage(Page(Home, isHome: true, """
            <script>var _hmt=_hmt||[];(function(){var hm=document.createElement("script");hm.src="https://hm.baidu.com/hm.js?abc";})();</script>
            <script src="https://s9.cnzz.com/z_stat.php?id=1"></script>
            <script type="text/javascript">var cpro_id = "u1234567";</script>
            <script src="https://cpro.baidustatic.com/cpro/ui/c.js"></script>
            <ins class="adsbygoogle" data-ad-client="ca-pub-1"></ins>
            <script async src="https://pagead2.googlesyndication.com/pagead/js/adsbygoogle.js"></script>
            <iframe src="https://pos.baidu.com/s?hei=90&amp;wid=728"></iframe>
            <a href="https://www.gov.cn/">中国政府网</a> <a href="https://www.hunan.gov.cn/">湖南省人民政府</a>
            <a href="http://www.xinhuanet.com/politics/">新华网</a> <a href="https://zwfw.hunan.gov.cn/">政务服务网</a>
            <div class="ad-banner"><a href="/zt/2026/index.html"><img src="/images/zt.png" alt="专题"></a></div>
            """));
        session.OnPage(Page(Home + "col/ywdt/index.html", isHome: false, """
            <script src="https://cpro.baidustatic.com/cpro/ui/c.js"></script>
            <a href="https://s.click.alimama.com/e/abc">年货节特惠</a>
            """));

        var result = session.Complete(new SiteCrawl { HomeUrl = Home, HomeOutcome = FetchOutcome.Ok(200), Links = [] });

        var found = result.Findings.ToDictionary(f => f.Subject);
        Assert.Equal(
            new[]
            {
                "adsbygoogle", "cpro_id", "https://cpro.baidustatic.com/cpro/ui/c.js", "https://pagead2.googlesyndication.com/pagead/js/adsbygoogle.js",
                "https://pos.baidu.com/s?hei=90&wid=728", "https://s.click.alimama.com/e/abc",
            },
            found.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(2, found["https://cpro.baidustatic.com/cpro/ui/c.js"].Occurrences);
        Assert.Equal("ad script from cpro.baidustatic.com; on the home page", found["https://cpro.baidustatic.com/cpro/ui/c.js"].Detail);
        Assert.Equal("ad frame from pos.baidu.com; on the home page", found["https://pos.baidu.com/s?hei=90&wid=728"].Detail);
        Assert.Equal("link to an advertising page from s.click.alimama.com", found["https://s.click.alimama.com/e/abc"].Detail);
        Assert.Equal(Home + "col/ywdt/index.html", found["https://s.click.alimama.com/e/abc"].Url);
        Assert.Contains("cpro_id = \"u1234567\"", found["cpro_id"].Evidence);
        Assert.All(result.Findings, f => Assert.Equal(Severity.Veto, f.Severity));
    }

    [Fact]
    public void Complete_Passes_OnAnOrdinaryGovernmentPage()
    {
        var session = new CommercialAdCheck().Begin(Context());
        session.OnPage(Page(Home, isHome: true, """
            <script src="https://hm.baidu.com/hm.js?abc"></script><script src="https://www.cnzz.com/stat.php?id=1"></script>
            <a href="https://www.gov.cn/">中国政府网</a><a href="https://bszs.conac.cn/sitename?id=1">党政机关</a>
            <div id="advert"><a href="https://zwfw.hunan.gov.cn/">湖南政务服务网</a></div>
            """));

        Assert.Equal(CheckOutcome.Passed, session.Complete(new SiteCrawl { HomeUrl = Home, HomeOutcome = FetchOutcome.Ok(200), Links = [] }).Outcome);
    }

    private static CrawledPage Page(string url, bool isHome, string body)
    {
        var document = new HtmlParser().ParseDocument($"<html><body>{body}</body></html>");
        return new CrawledPage
        {
            Url = url, Depth = isHome ? 0 : 1, IsHomePage = isHome, Outcome = FetchOutcome.Ok(200), Document = document,
            Links = LinkExtractor.Extract(document, new Uri(url)),
        };
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
