using AngleSharp.Html.Parser;
using SiteWatch.Core.Model;
using SiteWatch.Crawling.Html;

namespace SiteWatch.Crawling.Tests.Html;

public sealed class LinkExtractorTests
{
    private static readonly Uri Page = new("http://www.linjiang.gov.cn/art/2026/11/20/art_1.html");

    [Fact]
    public void Extract_FindsEveryKindOfLink_ResolvedAndDeduplicated()
    {
        var links = Extract("""
            <html><head>
            <link rel="stylesheet" href="/css/style.css"><link rel="shortcut icon" href="/favicon.ico">
            <link rel="canonical" href="/canonical.html"><link rel="dns-prefetch" href="//cdn.example.cn">
            <script src="/js/common.js"></script><meta http-equiv="refresh" content="300; url=/index.html">
            </head><body>
            <a href="/a.html">A</a><a href="/a.html#top">A again</a><a href="b.html">B</a>
            <map><area href="/map/1.html"></map>
            <img src="/img/1.jpg" srcset="/img/1.jpg 1x, /img/1@2x.jpg 2x" data-src="/lazy.jpg">
            <picture><source srcset="/img/w800.webp 800w, /img/w1600.webp 1600w"></picture>
            <iframe src="/video/player.html"></iframe><frame src="/frame.html">
            <embed src="/flash/intro.swf"><object data="/docs/a.pdf"></object>
            <a href="mailto:a@b.cn">mail</a><a href="tel:12345">tel</a><a href="javascript:void(0)">js</a>
            <!-- <a href="/commented.html">old</a> -->
            </body></html>
            """);

        Assert.Equal(
        [
            ("http://www.linjiang.gov.cn/css/style.css", LinkKind.Stylesheet),
            ("http://www.linjiang.gov.cn/favicon.ico", LinkKind.Image),
            ("http://www.linjiang.gov.cn/js/common.js", LinkKind.Script),
            ("http://www.linjiang.gov.cn/index.html", LinkKind.Anchor),
            ("http://www.linjiang.gov.cn/a.html", LinkKind.Anchor),
            ("http://www.linjiang.gov.cn/art/2026/11/20/b.html", LinkKind.Anchor),
            ("http://www.linjiang.gov.cn/map/1.html", LinkKind.Area),
            ("http://www.linjiang.gov.cn/img/1.jpg", LinkKind.Image),
            ("http://www.linjiang.gov.cn/img/1@2x.jpg", LinkKind.Image),
            ("http://www.linjiang.gov.cn/img/w800.webp", LinkKind.Image),
            ("http://www.linjiang.gov.cn/img/w1600.webp", LinkKind.Image),
            ("http://www.linjiang.gov.cn/video/player.html", LinkKind.Frame),
            ("http://www.linjiang.gov.cn/flash/intro.swf", LinkKind.Embed),
            ("http://www.linjiang.gov.cn/docs/a.pdf", LinkKind.Embed),
        ], links);
    }

    [Fact]
    public void Extract_ResolvesAgainstBaseHref()
    {
        var links = Extract("""<html><head><base href="/static/zt/"></head><body><a href="list.html">x</a><img src="../logo.png"></body></html>""");

        Assert.Equal(["http://www.linjiang.gov.cn/static/zt/list.html", "http://www.linjiang.gov.cn/static/logo.png"], links.Select(l => l.Item1));
    }

    [Theory]
    [InlineData("a.jpg 1x, b.jpg 2x", new[] { "a.jpg", "b.jpg" })]
    [InlineData("a.jpg", new[] { "a.jpg" })]
    [InlineData(" a.jpg 480w ,b.jpg 800w,c.jpg", new[] { "a.jpg", "b.jpg", "c.jpg" })]
    [InlineData("a.jpg,b.jpg", new[] { "a.jpg,b.jpg" })]
    [InlineData("a.jpg, b.jpg", new[] { "a.jpg", "b.jpg" })]
    public void SrcsetUrls_SplitsCandidates(string srcset, string[] expected)
    {
        Assert.Equal(expected, LinkExtractor.SrcsetUrls(srcset));
    }

    private static List<(string, LinkKind)> Extract(string html) =>
        LinkExtractor.Extract(new HtmlParser().ParseDocument(html), Page).Select(l => (l.Url, l.Kind)).ToList();
}
