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
    public void Parse_SurvivesAHostileNestingDepth_AndLinksStillExtract()
    {
        // A hostile server can nest elements without end; the crawl must neither crash nor stop.
        var html = new StringBuilder("<html><body>");
        for (var i = 0; i < 20_000; i++)
        {
            html.Append("<div>");
        }

        html.Append("<a href=\"/deep.html\">deep</a></body></html>");
        var document = HtmlDocuments.Parse(html.ToString());

        var links = LinkExtractor.Extract(document, new Uri("http://www.x.gov.cn/"));

        Assert.Contains(links, l => l.Url == "http://www.x.gov.cn/deep.html");
    }
}
