using SiteWatch.Scheduling;
using SiteWatch.TestKit;

namespace SiteWatch.Scheduling.Tests;

/// <summary>hidden-link end to end: a GBK site whose linked stylesheet hides an injected footer block, read once by the crawler.</summary>
public sealed class HiddenLinkInspectionTests
{
    private const string Host = "www.linjiang.gov.cn";

    [Fact]
    public async Task Inspect_FindsALinkHiddenByTheSiteStylesheet_OnAGbkPage_AndReadsTheStylesheetOnce()
    {
        const string css = """
            body{font:12px/1.5 "宋体"}
            .nav li ul{display:none} .nav li:hover ul{display:block}
            .bottom_yqlj{position:absolute;left:-9999px;top:-9999px}
            """;
        const string nav = """<ul class="nav"><li><a href="/">首页</a><ul><li><a href="http://www.hnjt-pay.com/">交通罚没缴纳</a></li></ul></li><li><a href="/col/ywdt/index.html">要闻动态</a></li></ul>""";
        await using var site = await FakeSite.StartAsync(s => s
            .Page("/", $"""
                <html><head><meta charset="gbk"><title>临江县人民政府</title><link rel="stylesheet" href="/css/main.css"></head>
                <body>{nav}<p>网站标识码：4306260001 湘ICP备05001234号 湘公网安备 43062602000123号</p><img alt="党政机关" src="/b.png">
                <div class="bottom_yqlj"><a href="http://www.amxpj-88.invalid/">澳门博彩官网</a></div></body></html>
                """, "gbk")
            .Page("/col/ywdt/index.html", $"""<html><head><meta charset="gbk"><link rel="stylesheet" href="/css/main.css"></head><body>{nav}<p>要闻</p></body></html>""", "gbk")
            .Raw("/css/main.css", System.Text.Encoding.UTF8.GetBytes(css), "text/css; charset=utf-8")
            .Raw("/b.png", [0x89, 0x50], "image/png"));
        await using var services = new TestServices(new Dictionary<string, string?> { [$"Network:ConnectTo:{Host}"] = site.EndPoint });
        var target = TargetInspectorTests.Target() with { Url = $"http://{Host}/" };

        var inspection = await services.Get<TargetInspector>().InspectAsync(target, TargetInspectorTests.Round(), CancellationToken.None);

        var hidden = Assert.Single(inspection.Findings, f => f.Check == "hidden-link");
        Assert.Equal("http://www.amxpj-88.invalid/", hidden.Subject);
        Assert.Equal($"http://{Host}/", hidden.Url);
        Assert.Contains("positioned off-screen (left:-9999px) on <div class=\"bottom_yqlj\">, stylesheet rule '.bottom_yqlj'", hidden.Detail, StringComparison.Ordinal);
        Assert.Contains("link text \"澳门博彩官网\"; keywords: 博彩", hidden.Detail, StringComparison.Ordinal);
        Assert.Equal(1, site.CountOf("GET /css/main.css"));
    }
}
