using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using SiteWatch.Core.Model;
using SiteWatch.Core.Rules;
using SiteWatch.Crawling.Html;

namespace SiteWatch.Crawling.Accounts;

/// <summary>
/// Adapter <c>rss</c>: an account read through a feed — RSS 2.0 (and RSS 1.0/RDF items), Atom, or JSON Feed 1.x. This is
/// how every platform is read through a self-hosted RSSHub (<c>/weibo/user/{uid}</c>, <c>/douyin/user/{id}</c> …).
/// </summary>
/// <remarks>
/// <para>Times: RSS <c>pubDate</c> (else <c>dc:date</c>), Atom <c>published</c> (else <c>updated</c>), JSON Feed
/// <c>date_published</c> (else <c>date_modified</c>), read by <see cref="AccountTimes.Parse"/>; a time it cannot read
/// leaves the post undated rather than failing the feed.</para>
/// <para>Encoding: a byte-order mark, else the XML declaration's encoding, else the Content-Type charset, else UTF-8
/// when the bytes are UTF-8 and GB18030 when not (GBK feeds of Chinese CMSs).</para>
/// <para>Hostile feeds: DTDs are refused (so no entity expansion and no external entity is ever resolved) and no
/// resolver is set; a body that is not a feed — malformed XML, HTML, another XML vocabulary, bad JSON — is
/// <see cref="FeedState.Unreadable"/> with one line "not a feed: …, line N" (or <see cref="FeedState.Closed"/> when it
/// is the platform saying one of <see cref="PlatformRules.ClosedPhrases"/>). Never throws for what it is given.</para>
/// </remarks>
public sealed partial class RssReader(AccountFetcher fetcher) : IAccountReader
{
    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersFromEntities = 64 * 1024,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        CloseInput = true,
    };

    static RssReader() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public string Adapter => "rss";

    public async Task<AccountFeed> ReadAsync(Target account, PlatformRules platform, CancellationToken ct)
    {
        var fetched = await fetcher.FetchAsync(account, platform, null, ct);
        return fetched.Succeeded ? Parse(fetched.Url, fetched.Body, fetched.ContentType, platform) : fetched.Failure;
    }

    /// <summary>Reads a feed's bytes; never throws.</summary>
    public static AccountFeed Parse(string url, byte[] body, string? contentType, PlatformRules platform)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(platform);
        var text = Decode(body, contentType);
        var start = text.AsSpan().TrimStart("\uFEFF \t\r\n");
        if (start.IsEmpty)
        {
            return NotAFeed(url, "the answer is empty");
        }

        if (start[0] is '{' or '[')
        {
            return ParseJson(url, start.ToString(), platform);
        }

        // By the bytes, not the Content-Type: small CMSs serve their RSS as text/html.
        var mediaType = MediaType(contentType);
        if (start.StartsWith("<!doctype html", StringComparison.OrdinalIgnoreCase) || start.StartsWith("<html", StringComparison.OrdinalIgnoreCase))
        {
            return Closed(url, text, platform) ?? NotAFeed(url, $"an HTML page{(mediaType is null ? "" : $" ({mediaType})")}");
        }

        return ParseXml(url, text, mediaType, platform);
    }

    private static AccountFeed ParseXml(string url, string text, string? mediaType, PlatformRules platform)
    {
        XDocument document;
        try
        {
            using var reader = XmlReader.Create(new StringReader(text), Settings);
            document = XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException e)
        {
            var what = e.Message.Contains("DTD", StringComparison.Ordinal)
                ? "a DTD (<!DOCTYPE>) is not accepted in a feed"
                : LineSuffix().Replace(e.Message.ReplaceLineEndings(" "), "").TrimEnd('.', ' ');
            if (mediaType is "text/html" or "application/xhtml+xml")
            {
                what = $"an HTML page ({mediaType}); as XML: {what}";
            }

            // The DTD refusal carries no line: it is where the <!DOCTYPE is.
            var doctype = text.IndexOf("<!DOCTYPE", StringComparison.OrdinalIgnoreCase);
            var line = e.LineNumber > 0 ? e.LineNumber : doctype < 0 ? 1 : text.AsSpan(0, doctype).Count('\n') + 1;
            return Closed(url, text, platform) ?? NotAFeed(url, $"{what}, line {line}");
        }

        var root = document.Root!;
        var offset = TimeSpan.FromHours(platform.DefaultUtcOffsetHours);
        switch (root.Name.LocalName)
        {
            case "rss" or "RDF":
                return Ok(url, root.Descendants().Where(e => e.Name.LocalName == "item").Select(item => RssItem(item, offset)));
            case "feed":
                return Ok(url, root.Elements().Where(e => e.Name.LocalName == "entry").Select(entry => AtomEntry(entry, offset)));
            case "html":
                return Closed(url, root.Value, platform) ?? NotAFeed(url, "an HTML page");
            default:
                return NotAFeed(url, $"the root element is <{root.Name.LocalName}>, line {((IXmlLineInfo)root).LineNumber}");
        }
    }

    private static Post RssItem(XElement item, TimeSpan offset)
    {
        var link = Child(item, "link");
        var guid = Child(item, "guid");
        return new Post
        {
            Id = guid ?? link,
            Title = Child(item, "title"),
            Url = link ?? (guid is not null && guid.StartsWith("http", StringComparison.OrdinalIgnoreCase) ? guid : null),
            Text = Child(item, "encoded") ?? Child(item, "description"),
            PublishedAt = AccountTimes.Parse(Child(item, "pubDate") ?? Child(item, "date"), offset),
        };
    }

    private static Post AtomEntry(XElement entry, TimeSpan offset)
    {
        var links = entry.Elements().Where(e => e.Name.LocalName == "link").ToList();
        var link = links.FirstOrDefault(l => (string?)l.Attribute("rel") is null or "alternate") ?? links.FirstOrDefault();
        return new Post
        {
            Id = Child(entry, "id"),
            Title = Child(entry, "title"),
            Url = (string?)link?.Attribute("href"),
            Text = Child(entry, "content") ?? Child(entry, "summary"),
            PublishedAt = AccountTimes.Parse(Child(entry, "published") ?? Child(entry, "updated"), offset),
        };
    }

    private static AccountFeed ParseJson(string url, string text, PlatformRules platform)
    {
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Array
                || (root.TryGetProperty("version", out var version) && version.ValueKind == JsonValueKind.String
                    && !version.GetString()!.StartsWith("https://jsonfeed.org/version/1", StringComparison.Ordinal)))
            {
                return Closed(url, text, platform) ?? NotAFeed(url, "JSON but not a JSON Feed 1.x (no \"items\" array), line 1");
            }

            var offset = TimeSpan.FromHours(platform.DefaultUtcOffsetHours);
            var posts = new List<Post>();
            foreach (var item in items.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                posts.Add(new Post
                {
                    Id = String(item, "id"),
                    Title = String(item, "title"),
                    Url = String(item, "url") ?? String(item, "external_url"),
                    Text = String(item, "content_html") ?? String(item, "content_text") ?? String(item, "summary"),
                    PublishedAt = AccountTimes.Parse(String(item, "date_published") ?? String(item, "date_modified"), offset),
                });
            }

            return new AccountFeed { Url = url, State = FeedState.Ok, Posts = posts };
        }
        catch (JsonException e)
        {
            return NotAFeed(url, $"bad JSON, line {(e.LineNumber ?? 0) + 1}");
        }
    }

    private static string? String(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        } : null;

    private static string? Child(XElement parent, string localName)
    {
        var value = parent.Elements().FirstOrDefault(e => e.Name.LocalName == localName)?.Value.Trim();
        return string.IsNullOrEmpty(value) ? null : value;
    }

    private static AccountFeed Ok(string url, IEnumerable<Post> posts) => new() { Url = url, State = FeedState.Ok, Posts = posts.ToList() };

    private static AccountFeed NotAFeed(string url, string what) => AccountFetcher.Failed(url, FeedState.Unreadable, $"not a feed: {what}");

    private static AccountFeed? Closed(string url, string text, PlatformRules platform) =>
        AccountFetcher.ClosedPhrase(text, platform.ClosedPhrases) is { } phrase
            ? AccountFetcher.Failed(url, FeedState.Closed, $"the platform says {phrase}")
            : null;

    private static string? MediaType(string? contentType)
    {
        var value = contentType?.Split(';')[0].Trim();
        return string.IsNullOrEmpty(value) ? null : value.ToLowerInvariant();
    }

    /// <summary>BOM, then the XML declaration's encoding, then what <see cref="CharsetDecoder"/> decides for the Content-Type and bytes.</summary>
    private static string Decode(byte[] body, string? contentType)
    {
        var span = body.AsSpan();
        if (!span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) && !span.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE])
            && !span.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            var head = Encoding.Latin1.GetString(span[..Math.Min(span.Length, 256)]);
            var declared = DeclarationEncoding().Match(head);
            if (declared.Success && CharsetDecoder.Lookup(declared.Groups[1].Value) is { } encoding)
            {
                return encoding.GetString(body);
            }
        }

        return CharsetDecoder.Decode(body, contentType).Text;
    }

    [GeneratedRegex("""^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:\-]+)["']""")]
    private static partial Regex DeclarationEncoding();

    [GeneratedRegex("""\s*Line \d+, position \d+\.?\s*$""")]
    private static partial Regex LineSuffix();
}
