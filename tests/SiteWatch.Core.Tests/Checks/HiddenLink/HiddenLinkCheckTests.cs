using SiteWatch.Core.Checks;
using SiteWatch.Core.Checks.HiddenLink;
using SiteWatch.Core.Model;
using SiteWatch.Crawling.Html;
using SiteWatch.TestKit;

namespace SiteWatch.Core.Tests.Checks.HiddenLink;

/// <summary>
/// hidden-link on fixture pages: every way of hiding a link the issue lists (inline, &lt;style&gt;, linked
/// stylesheet, document.write), and the traps — menus, later rules that show a box again, print-only rules,
/// trusted hosts, light text on a dark background — that must give nothing.
/// </summary>
public sealed class HiddenLinkCheckTests
{
    private const string Home = "http://www.linjiang.gov.cn/";
    private const string Casino = "http://www.amxpj-88.com/";
    private static readonly DateTimeOffset AsOf = new(2026, 11, 20, 10, 0, 0, TimeSpan.FromHours(8));

    public static TheoryData<string, string, string> Hidden => new()
    {
        { "inline display:none", $"""<div style="display:none"><a href="{Casino}">澳门葡京 真人娱乐</a></div>""", "display:none on <div>, inline style" },
        { "<style> off-screen", $"""<style>.yqlj2{"{"}position:absolute;left:-9999px;top:-9999px{"}"}</style><div class="yqlj2"><a href="{Casino}">时时彩</a></div>""", "positioned off-screen (left:-9999px) on <div class=\"yqlj2\">, stylesheet rule '.yqlj2'" },
        { "hidden attribute", $"""<p hidden><a href="{Casino}">北京赛车</a></p>""", "the hidden attribute on <p>, in the HTML" },
        { "visibility", $"""<style>#f1{"{"}visibility:hidden{"}"}</style><span id="f1"><a href="{Casino}">棋牌</a></span>""", "visibility:hidden on <span id=\"f1\">" },
        { "zero-height wrapper", $"""<div style="height:0;overflow:hidden"><ul><li><a href="{Casino}">百家乐</a></li></ul></div>""", "height:0px with overflow:hidden on <div>" },
        { "font-size 0", $"""<p style="font-size:0"><a href="{Casino}">老虎机</a></p>""", "font-size:0px on <a>" },
        { "text-indent", $"""<p style="text-indent:-10000px"><a href="{Casino}">六合彩</a></p>""", "text-indent:-10000px on <a>" },
        { "opacity", $"""<div style="opacity:0"><a href="{Casino}">投注</a></div>""", "opacity:0 on <div>" },
        { "clip", $"""<div style="position:absolute;clip:rect(0 0 0 0)"><a href="{Casino}">太阳城</a></div>""", "clip:rect(0 0 0 0) on <div>" },
        { "marquee", $"""<marquee height="1" width="1" scrollamount="3000"><a href="{Casino}">威尼斯人</a></marquee>""", "a <marquee> width 1px on <marquee>, its attributes" },
        { "same colour", $"""<div style="background:#fff"><a style="color:#FFFFFF" href="{Casino}">博彩</a></div>""", "text colour rgba(255, 255, 255, 1) on a background of the same colour on <a>" },
        { "document.write", $"""<script>document.write('<div style="display:none">'+"<a href='{Casino}'>\u535a\u5f69</a>" + '</div>');</script>""", "display:none on <div>, inline style, written by an inline document.write" },
        { "unescape", """<script>document.write(unescape('%3Cdiv%20style%3D%22display%3Anone%22%3E%3Ca%20href%3D%22http%3A//www.amxpj-88.com/%22%3E%E5%8D%9A%E5%BD%A9%3C/a%3E%3C/div%3E'));</script>""", "written by an inline document.write" },
    };

    [Theory]
    [MemberData(nameof(Hidden))]
    public void OnPage_FindsTheHiddenLink(string name, string body, string how)
    {
        var finding = Assert.Single(Run(Page(Home, body)));

        Assert.Equal(Casino, finding.Subject);
        Assert.Equal("hidden-link", finding.Check);
        Assert.Equal(Severity.Veto, finding.Severity);
        Assert.Contains(how, finding.Detail, StringComparison.Ordinal);
        Assert.Contains("high confidence", finding.Detail, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(finding.Evidence), name);
    }

    [Fact]
    public void OnPage_FindsLinksHiddenByALinkedStylesheet_AndNamesTheRule()
    {
        var page = Page(Home, $"""<link rel="stylesheet" href="/css/site.css"><div class="ft_link"><a href="{Casino}">体育投注</a></div><p class="ft_link"><a href="http://www.zhaopin-x.com/">招聘</a></p>""",
            new StylesheetText(Home + "css/site.css", ".header{color:#333} .ft_link{position:absolute;top:-3000px}"));

        var findings = Run(page);

        Assert.Equal(new[] { Casino, "http://www.zhaopin-x.com/" }, findings.Select(f => f.Subject).Order(StringComparer.Ordinal));
        Assert.All(findings, f => Assert.Contains("positioned off-screen (top:-3000px) on <", f.Detail, StringComparison.Ordinal));
        Assert.All(findings, f => Assert.Contains(" class=\"ft_link\">, stylesheet rule '.ft_link'", f.Detail, StringComparison.Ordinal));
        Assert.Contains("no gambling/SEO keywords", findings.Single(f => f.Subject != Casino).Detail, StringComparison.Ordinal);
        Assert.Contains("keywords: 投注", findings.Single(f => f.Subject == Casino).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void OnPage_CountsALinkOnManyPagesOnce()
    {
        var body = $"""<div style="display:none"><a href="{Casino}">博彩</a></div>""";
        var session = new HiddenLinkCheck().Begin(Context());
        session.OnPage(Page(Home, body));
        session.OnPage(Page(Home + "col/ywdt/index.html", body));

        var finding = Assert.Single(session.Complete(Crawl()).Findings);
        Assert.Equal(2, finding.Occurrences);
        Assert.Equal(Home, finding.Url);
    }

    public static TheoryData<string, string> Traps => new()
    {
        {
            "hover menu of the site's own links",
            """<style>.nav li ul{display:none}.nav li:hover ul{display:block}</style><ul class="nav"><li>政务公开<ul><li><a href="/zwgk/">政府信息公开</a></li><li><a href="http://zwgk.linjiang.gov.cn/">公开平台</a></li></ul></li></ul>"""
        },
        {
            "drop-down of other government sites",
            """<div class="links" style="display:none"><a href="http://www.hunan.gov.cn/">湖南省人民政府</a><a href="https://www.gov.cn/">中国政府网</a><a href="http://www.xinhuanet.com/">新华网</a></div>"""
        },
        {
            "hover pop-up of non-government links",
            """<style>.ewm-box{display:none}.wx:hover .ewm-box{display:block}</style><div class="wx">微信<div class="ewm-box"><a href="https://weibo.com/linjiang">政务微博</a></div></div>"""
        },
        {
            "tab panel opened by script",
            """<div id="tab2" style="display:none"><a href="http://www.icbc.com.cn/">工商银行缴费</a></div><span onclick="show('tab2')">便民缴费</span><script>function show(id){document.getElementById(id).style.display='block'}</script>"""
        },
        { "a later rule shows the box", """<style>.f{display:none} .f{display:block}</style><div class="f"><a href="http://www.bank-x.com/">银行</a></div>""" },
        { "print-only rule", """<style>@media print{.noprint{display:none}}</style><div class="noprint"><a href="http://www.bank-x.com/">银行</a></div>""" },
        { "visible child of a hidden parent", """<div style="visibility:hidden"><span style="visibility:visible"><a href="http://www.bank-x.com/">银行</a></span></div>""" },
        { "light text on a dark background", """<div style="background-color:#003399"><a style="color:#fff" href="http://www.bank-x.com/">银行</a></div>""" },
        { "a visible date written by script", """<script>document.write('今天是 ' + new Date().getFullYear() + ' 年');</script><a href="http://www.bank-x.com/">银行</a>""" },
        { "hidden analytics link", """<span style="display:none"><a href="https://www.cnzz.com/stat/website.php?web_id=1">站长统计</a></span>""" },
        { "skip link to the page itself", """<a href="#main" style="position:absolute;left:-9999px">跳到主要内容</a>""" },
        { "an ordinary visible outside link", """<p>友情链接：<a href="http://www.hnu.edu.cn/">湖南大学</a></p>""" },
    };

    [Theory]
    [MemberData(nameof(Traps))]
    public void OnPage_IgnoresTheTrap(string name, string body)
    {
        Assert.True(Run(Page(Home, body)).Count == 0, name);
    }

    [Fact]
    public void OnPage_ReportsAMenu_WhenGamblingWordsAreInIt()
    {
        var body = """<style>.sub{display:none}</style><div class="sub"><a href="http://www.hunan.gov.cn/x/">澳门百家乐</a></div>""";

        var finding = Assert.Single(Run(Page(Home, body)));

        Assert.Contains("keywords: 百家乐", finding.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void OnPage_LeavesTheSharedDocumentUntouched()
    {
        var page = Page(Home, $"""<script>document.write('<div style="display:none"><a href="{Casino}">博彩</a></div>');</script><p>正文</p>""");
        var before = page.Document!.DocumentElement.OuterHtml;

        Run(page);

        Assert.Equal(before, page.Document.DocumentElement.OuterHtml);
    }

    [Fact]
    public void ScriptWrites_DecodesLiteralsAndSkipsComputedParts()
    {
        Assert.Equal("<a href='x'>博彩</a>", ScriptWrites.Extract("document.write(\"<a href='x'>\\u535a\\u5f69</a>\");"));
        Assert.Equal("<p>a</p>\n<b>", ScriptWrites.Extract("var y=1; document.writeln('<p>' + y + 'a</p>'); document.write(\"\\n<b>\")"));
        Assert.Equal("<div>", ScriptWrites.Extract("document.write(`<div>${user}`)"));
        Assert.Equal("", ScriptWrites.Extract("console.log('document.write is not called')"));
    }

    private static List<Finding> Run(CrawledPage page)
    {
        var session = new HiddenLinkCheck().Begin(Context());
        session.OnPage(page);
        return session.Complete(Crawl()).Findings.ToList();
    }

    private static SiteCrawl Crawl() => new() { HomeUrl = Home, HomeOutcome = FetchOutcome.Ok(200), Links = [] };

    private static CrawledPage Page(string url, string body, params StylesheetText[] sheets)
    {
        var document = HtmlDocuments.Parse($"<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>{body}</body></html>");
        return new CrawledPage
        {
            Url = url, Depth = url == Home ? 0 : 1, IsHomePage = url == Home, Outcome = FetchOutcome.Ok(200), Document = document,
            Links = LinkExtractor.Extract(document, new Uri(url)), Stylesheets = sheets,
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
