using System.Text;
using System.Text.RegularExpressions;

namespace SiteWatch.Crawling.Html;

/// <summary>A page's text and the encoding it was read with.</summary>
public sealed record DecodedText(string Text, string Encoding);

/// <summary>
/// Turns page bytes into text the way browsers do for Chinese sites: byte-order mark, then the
/// Content-Type charset, then &lt;meta charset&gt; in the first 2 KB, else UTF-8 when the bytes are
/// valid UTF-8 and GB18030 when not. GB2312 and GBK are read as GB18030, their superset.
/// </summary>
public static partial class CharsetDecoder
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    static CharsetDecoder() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static Encoding Gb18030 { get; } = CodePagesEncodingProvider.Instance.GetEncoding(54936)!;

    public static DecodedText Decode(ReadOnlySpan<byte> body, string? contentTypeHeader)
    {
        if (body.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return new(Encoding.UTF8.GetString(body[3..]), "utf-8");
        }

        if (body.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return new(Encoding.Unicode.GetString(body[2..]), "utf-16le");
        }

        if (body.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return new(Encoding.BigEndianUnicode.GetString(body[2..]), "utf-16be");
        }

        var declared = Lookup(HeaderCharset(contentTypeHeader)) ?? Lookup(MetaCharset(body));
        if (declared is not null && declared.CodePage != Encoding.UTF8.CodePage)
        {
            return new(declared.GetString(body), declared.WebName);
        }

        // Declared UTF-8, or nothing declared: believe UTF-8 only if the bytes are UTF-8. Many county
        // sites are served with a default "charset=utf-8" header over GBK files.
        if (IsValidUtf8(body))
        {
            return new(Encoding.UTF8.GetString(body), "utf-8");
        }

        var meta = Lookup(MetaCharset(body));
        var fallback = meta is not null && meta.CodePage != Encoding.UTF8.CodePage ? meta : Gb18030;
        return new(fallback.GetString(body), fallback.WebName);
    }

    /// <summary>Whether a response is an HTML page: by its media type, or by its first bytes when it has none.</summary>
    public static bool LooksLikeHtml(string? mediaType, ReadOnlySpan<byte> head)
    {
        if (mediaType is not null)
        {
            return mediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase)
                || mediaType.Equals("application/xhtml+xml", StringComparison.OrdinalIgnoreCase);
        }

        var text = Encoding.Latin1.GetString(head[..Math.Min(head.Length, 512)]).TrimStart('\uFEFF', '\u00EF', '\u00BB', '\u00BF', ' ', '\t', '\r', '\n');
        return text.StartsWith("<!doctype html", StringComparison.OrdinalIgnoreCase) || text.StartsWith("<html", StringComparison.OrdinalIgnoreCase);
    }

    internal static Encoding? Lookup(string? name)
    {
        switch (name?.Trim().Trim('"', '\'').ToLowerInvariant())
        {
            case null or "":
                return null;
            case "gb2312" or "gbk" or "x-gbk" or "gb_2312-80" or "cp936" or "ms936" or "windows-936" or "gb18030" or "csgb2312" or "euc-cn":
                return Gb18030;
            case "utf8" or "utf-8":
                return Encoding.UTF8;
            case "big5" or "big5-hkscs" or "cn-big5" or "x-x-big5":
                return CodePagesEncodingProvider.Instance.GetEncoding(950);
            case "iso-8859-1" or "latin1" or "us-ascii" or "ascii":
                // The HTML standard reads these labels as windows-1252.
                return CodePagesEncodingProvider.Instance.GetEncoding(1252);
            case { } other:
                try
                {
                    return Encoding.GetEncoding(other);
                }
                catch (ArgumentException)
                {
                    return null;
                }
        }
    }

    private static string? HeaderCharset(string? contentType)
    {
        if (contentType is null)
        {
            return null;
        }

        var match = HeaderCharsetPattern().Match(contentType);
        return match.Success ? match.Groups[1].Value : null;
    }

    private static string? MetaCharset(ReadOnlySpan<byte> body)
    {
        var head = Encoding.Latin1.GetString(body[..Math.Min(body.Length, 2048)]);
        var match = MetaCharsetPattern().Match(head);
        return match.Success ? match.Groups[1].Value : null;
    }

    private static bool IsValidUtf8(ReadOnlySpan<byte> body)
    {
        try
        {
            StrictUtf8.GetCharCount(body);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    [GeneratedRegex("""charset\s*=\s*["']?([\w\-.:]+)""", RegexOptions.IgnoreCase)]
    private static partial Regex HeaderCharsetPattern();

    [GeneratedRegex("""<meta[^>]+?charset\s*=\s*["']?\s*([\w\-.:]+)""", RegexOptions.IgnoreCase)]
    private static partial Regex MetaCharsetPattern();
}
