using AngleSharp.Html.Parser;
using SiteWatch.Core.Checks.DeadLink;
using SiteWatch.Core.Rules;

namespace SiteWatch.Core.Tests.Checks.DeadLink;

public sealed class SoftNotFoundTests
{
    private static readonly DeadLinkRules Rules = new()
    {
        SoftNotFoundTitles = ["页面不存在", "404 Not Found"],
        SoftNotFoundPhrases = ["您访问的页面不存在", "页面已被删除"],
        ShortPageChars = 120,
    };

    [Theory]
    [InlineData("<title>页面不存在</title><body>x</body>", "页面不存在")]
    [InlineData("<title>404 not found</title>", "404 Not Found")]
    [InlineData("<title>某某县人民政府</title><body><h1>对不起，您访问的页面不存在！</h1></body>", "您访问的页面不存在")]
    [InlineData("<title>某某县人民政府</title><body><nav><a href=/>首页</a><a href=/a>政务公开</a></nav><div>该页面已被删除</div></body>", "页面已被删除")]
    public void Detect_NamesThePhrase_OnAnErrorPageServedWith200(string html, string expected)
    {
        Assert.Equal(expected, SoftNotFound.Detect(new HtmlParser().ParseDocument(html), Rules));
    }

    [Fact]
    public void Detect_IgnoresAnArticleThatMentionsThePhraseInItsText()
    {
        var article = "<title>关于网站整改的通报</title><body><h1>关于网站整改的通报</h1><p>"
            + string.Concat(Enumerable.Repeat("近期检查发现部分网站存在链接失效等问题，", 10))
            + "例如点击后提示页面已被删除的情况。</p></body>";

        Assert.Null(SoftNotFound.Detect(new HtmlParser().ParseDocument(article), Rules));
    }
}
