using AngleSharp.Dom;
using SiteWatch.Core.Model;

namespace SiteWatch.Crawling.Html;

/// <summary>
/// Every URL a visitor's browser would load or follow from a page: a/area href, img src and srcset,
/// picture source srcset, script src, stylesheet and icon links, iframe/frame src, embed src, object
/// data, and meta refresh. Resolved against the first &lt;base href&gt;, normalised, de-duplicated.
/// </summary>
public static class LinkExtractor
{
    public static IReadOnlyList<PageLink> Extract(IDocument document, Uri pageUrl)
    {
        var baseUri = pageUrl;
        if (document.QuerySelector("base[href]")?.GetAttribute("href") is { } baseHref
            && UrlNormalizer.Normalize(baseHref, pageUrl) is { } resolvedBase)
        {
            baseUri = new Uri(resolvedBase);
        }

        var links = new List<PageLink>();
        var seen = new HashSet<(string, LinkKind)>();
        void Add(string? href, LinkKind kind)
        {
            if (href is not null && UrlNormalizer.Normalize(href, baseUri) is { } url && seen.Add((url, kind)))
            {
                links.Add(new PageLink(url, kind));
            }
        }

        foreach (var element in document.QuerySelectorAll("a[href], area[href], img, source[srcset], script[src], link[href], iframe[src], frame[src], embed[src], object[data], meta[http-equiv]"))
        {
            switch (element.LocalName)
            {
                case "a":
                    Add(element.GetAttribute("href"), LinkKind.Anchor);
                    break;
                case "area":
                    Add(element.GetAttribute("href"), LinkKind.Area);
                    break;
                case "img":
                    Add(element.GetAttribute("src"), LinkKind.Image);
                    AddSrcset(element.GetAttribute("srcset"), Add);
                    break;
                case "source":
                    AddSrcset(element.GetAttribute("srcset"), Add);
                    break;
                case "script":
                    Add(element.GetAttribute("src"), LinkKind.Script);
                    break;
                case "link":
                    if (LinkRelKind(element.GetAttribute("rel")) is { } kind)
                    {
                        Add(element.GetAttribute("href"), kind);
                    }

                    break;
                case "iframe" or "frame":
                    Add(element.GetAttribute("src"), LinkKind.Frame);
                    break;
                case "embed":
                    Add(element.GetAttribute("src"), LinkKind.Embed);
                    break;
                case "object":
                    Add(element.GetAttribute("data"), LinkKind.Embed);
                    break;
                case "meta" when string.Equals(element.GetAttribute("http-equiv"), "refresh", StringComparison.OrdinalIgnoreCase):
                    Add(RefreshTarget(element.GetAttribute("content")), LinkKind.Anchor);
                    break;
            }
        }

        return links;
    }

    /// <summary>Stylesheets and icons load with the page; canonical, alternate, dns-prefetch and the like do not.</summary>
    private static LinkKind? LinkRelKind(string? rel)
    {
        if (rel is null)
        {
            return null;
        }

        var tokens = rel.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Contains("stylesheet"))
        {
            return LinkKind.Stylesheet;
        }

        return tokens.Contains("icon") || tokens.Contains("apple-touch-icon") ? LinkKind.Image : null;
    }

    /// <summary>The URLs of a srcset: candidates separated by commas, each a URL and an optional descriptor.</summary>
    internal static IEnumerable<string> SrcsetUrls(string srcset)
    {
        var position = 0;
        while (position < srcset.Length)
        {
            while (position < srcset.Length && (char.IsWhiteSpace(srcset[position]) || srcset[position] == ','))
            {
                position++;
            }

            var start = position;
            while (position < srcset.Length && !char.IsWhiteSpace(srcset[position]))
            {
                position++;
            }

            var url = srcset[start..position];

            // A URL may itself contain commas; trailing commas separate candidates.
            var trailing = url.Length - url.TrimEnd(',').Length;
            url = url.TrimEnd(',');
            if (trailing == 0)
            {
                // Skip the descriptor up to the next comma.
                while (position < srcset.Length && srcset[position] != ',')
                {
                    position++;
                }
            }

            if (url.Length > 0)
            {
                yield return url;
            }
        }
    }

    private static void AddSrcset(string? srcset, Action<string?, LinkKind> add)
    {
        if (string.IsNullOrWhiteSpace(srcset))
        {
            return;
        }

        foreach (var url in SrcsetUrls(srcset))
        {
            add(url, LinkKind.Image);
        }
    }

    /// <summary><c>content="5; url=/new/"</c> → <c>/new/</c>.</summary>
    private static string? RefreshTarget(string? content)
    {
        if (content is null)
        {
            return null;
        }

        var index = content.IndexOf("url", StringComparison.OrdinalIgnoreCase);
        if (index < 0)
        {
            return null;
        }

        var rest = content[(index + 3)..].TrimStart();
        if (!rest.StartsWith('='))
        {
            return null;
        }

        rest = rest[1..].Trim().Trim('\'', '"');
        return rest.Length == 0 ? null : rest;
    }
}
