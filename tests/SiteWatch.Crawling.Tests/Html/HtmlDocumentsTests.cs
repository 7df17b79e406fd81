using System.Text;
using SiteWatch.Crawling.Html;

namespace SiteWatch.Crawling.Tests.Html;

public sealed class HtmlDocumentsTests
{
    [Fact]
    public void Parse_CopesWithBrokenMarkup()
    {
        var document = HtmlDocuments.Parse("<html><body><div><a href='/a.html'>未闭合<p><table><tr><td>x</div></a>\u0000\uFFFD<<<>>></b></i>");

        Assert.Contains(document.QuerySelectorAll("a"), a => a.GetAttribute("href") == "/a.html");
    }

    [Fact]
    public void LimitNesting_LeavesOrdinaryPagesAsTheyAre_AndDropsOnlyTagsBeyondTheCap()
    {
        const string page = "<div><ul><li><a href=\"/a\">a</a></li></ul><script>var s='<div><div>';</script><!-- <div> --></div>";
        Assert.Same(page, HtmlDocuments.LimitNesting(page, 2));

        var deep = string.Concat(Enumerable.Repeat("<div>", 4)) + "<a href=\"/x\">x</a>" + string.Concat(Enumerable.Repeat("</div>", 4));
        Assert.Equal("<div><div><a href=\"/x\">x</a></div></div>", HtmlDocuments.LimitNesting(deep, 2));
    }

    [Fact]
    public void Parse_SurvivesAHostileNestingDepth_AndLinksStillExtract()
    {
        // A hostile server can nest elements without end (1 MB of <div>s took minutes before the cap); the crawl must neither crash nor stall.
        var html = new StringBuilder("<html><body>");
        for (var i = 0; i < 200_000; i++)
        {
            html.Append("<div>");
        }

        html.Append("<a href=\"/deep.html\">deep</a></body></html>");
        var document = HtmlDocuments.Parse(html.ToString());

        var links = LinkExtractor.Extract(document, new Uri("http://www.x.gov.cn/"));

        Assert.Contains(links, l => l.Url == "http://www.x.gov.cn/deep.html");
    }
}
