using SiteWatch.Crawling.Html;

namespace SiteWatch.Crawling.Tests.Html;

public sealed class UrlNormalizerTests
{
    private static readonly Uri Page = new("http://www.linjiang.gov.cn/col/ywdt/index.html");

    [Theory]
    [InlineData("/新闻/a b.html", "http://www.linjiang.gov.cn/%E6%96%B0%E9%97%BB/a%20b.html")]
    [InlineData("/search?q=政务", "http://www.linjiang.gov.cn/search?q=%E6%94%BF%E5%8A%A1")]
    [InlineData("HTTP://WWW.Example.GOV.cn:80/a/../b.html#x", "http://www.example.gov.cn/b.html")]
    [InlineData("https://x.gov.cn:443", "https://x.gov.cn/")]
    [InlineData("https://x.gov.cn:8443/a", "https://x.gov.cn:8443/a")]
    [InlineData("  /art/2026/\n11/20/art_1.html  ", "http://www.linjiang.gov.cn/art/2026/11/20/art_1.html")]
    [InlineData("//cdn.example.cn/a.js", "http://cdn.example.cn/a.js")]
    [InlineData("../tzgg/index.html", "http://www.linjiang.gov.cn/col/tzgg/index.html")]
    [InlineData("?page=2", "http://www.linjiang.gov.cn/col/ywdt/index.html?page=2")]
    [InlineData("/files/%E9%99%84%E4%BB%B6.pdf", "http://www.linjiang.gov.cn/files/%E9%99%84%E4%BB%B6.pdf")]
    [InlineData("/a%2Fb.html", "http://www.linjiang.gov.cn/a%2Fb.html")]
    [InlineData("\\xxgk\\index.html", "http://www.linjiang.gov.cn/xxgk/index.html")]
    [InlineData("http://政府.中国/", "http://xn--mxtq1m.xn--fiqs8s/")]
    [InlineData("http://127.0.0.1:18001/", "http://127.0.0.1:18001/")]
    public void Normalize_GivesOneSpelling(string href, string expected)
    {
        Assert.Equal(expected, UrlNormalizer.Normalize(href, Page));
    }

    [Theory]
    [InlineData("mailto:xxgk@linjiang.gov.cn")]
    [InlineData("tel:12345")]
    [InlineData("javascript:void(0)")]
    [InlineData("JavaScript:window.print()")]
    [InlineData("data:image/png;base64,iVBORw0KGgo=")]
    [InlineData("ftp://ftp.linjiang.gov.cn/a.zip")]
    [InlineData("#top")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("http://")]
    public void Normalize_ReturnsNull_ForWhatIsNotAWebLink(string href)
    {
        Assert.Null(UrlNormalizer.Normalize(href, Page));
    }

    [Fact]
    public void Normalize_IsIdempotent()
    {
        var once = UrlNormalizer.Normalize("/新闻/a b.html?q=政务&x=1#frag", Page)!;

        Assert.Equal(once, UrlNormalizer.Normalize(once, Page));
    }
}
