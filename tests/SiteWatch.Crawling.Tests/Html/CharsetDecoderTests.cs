using System.Text;
using SiteWatch.Crawling.Html;

namespace SiteWatch.Crawling.Tests.Html;

public sealed class CharsetDecoderTests
{
    private const string Chinese = "临江县人民政府门户网站";

    private static byte[] Gbk(string text) => CharsetDecoder.Gb18030.GetBytes(text);

    [Fact]
    public void Decode_ReadsGbk_FromTheContentTypeHeader()
    {
        var result = CharsetDecoder.Decode(Gbk($"<html><body>{Chinese}</body></html>"), "text/html; charset=GBK");

        Assert.Contains(Chinese, result.Text);
        Assert.Equal("gb18030", result.Encoding);
    }

    [Fact]
    public void Decode_ReadsGb2312_FromTheMetaTag()
    {
        var result = CharsetDecoder.Decode(Gbk($"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head><body>{Chinese}</body></html>"), "text/html");

        Assert.Contains(Chinese, result.Text);
    }

    [Fact]
    public void Decode_ReadsUndeclaredGbk_AsGb18030()
    {
        Assert.Contains(Chinese, CharsetDecoder.Decode(Gbk($"<p>{Chinese}</p>"), null).Text);
    }

    [Fact]
    public void Decode_ReadsGbk_WhenTheServerClaimsUtf8ButTheBytesAreNot()
    {
        var result = CharsetDecoder.Decode(Gbk($"<html><head><meta charset=\"gbk\"></head><body>{Chinese}</body></html>"), "text/html; charset=utf-8");

        Assert.Contains(Chinese, result.Text);
    }

    [Fact]
    public void Decode_PrefersTheBom_OverAWrongMetaTag()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes($"<meta charset=\"gbk\"><p>{Chinese}</p>")).ToArray();

        var result = CharsetDecoder.Decode(bytes, "text/html; charset=gbk");

        Assert.Contains(Chinese, result.Text);
        Assert.Equal("utf-8", result.Encoding);
    }

    [Fact]
    public void Decode_ReadsUtf16_ByItsBom()
    {
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes($"<p>{Chinese}</p>")).ToArray();

        Assert.Contains(Chinese, CharsetDecoder.Decode(bytes, null).Text);
    }

    [Fact]
    public void Decode_FallsBack_WhenTheDeclaredCharsetIsUnknown()
    {
        var result = CharsetDecoder.Decode(Encoding.UTF8.GetBytes($"<p>{Chinese}</p>"), "text/html; charset=x-made-up");

        Assert.Contains(Chinese, result.Text);
    }

    [Theory]
    [InlineData("text/html", "", true)]
    [InlineData("application/pdf", "<html>", false)]
    [InlineData(null, "  <!DOCTYPE html><html>", true)]
    [InlineData(null, "%PDF-1.4", false)]
    public void LooksLikeHtml_JudgesByTypeThenBytes(string? mediaType, string head, bool expected)
    {
        Assert.Equal(expected, CharsetDecoder.LooksLikeHtml(mediaType, Encoding.ASCII.GetBytes(head)));
    }
}
