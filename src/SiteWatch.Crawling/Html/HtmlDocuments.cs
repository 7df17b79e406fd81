using System.Text;
using AngleSharp;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace SiteWatch.Crawling.Html;

/// <summary>Parses page text with AngleSharp, scripting off (what the static HTML says), one parser per thread.</summary>
public static class HtmlDocuments
{
    private static readonly ThreadLocal<HtmlParser> Parsers = new(() => new HtmlParser(
        new HtmlParserOptions { IsScripting = false },
        BrowsingContext.New(Configuration.Default)));

    /// <summary>
    /// How deep container elements may nest before further ones are dropped. AngleSharp's tree builder walks
    /// the stack of open elements for every block start tag, so 1 MB of unclosed &lt;div&gt;s (200 000 deep)
    /// takes minutes; no real page nests anywhere near this deep, and the dropped tags carry no links.
    /// </summary>
    public const int MaxContainerDepth = 512;

    /// <summary>Never throws on malformed markup: the HTML parsing algorithm has an answer for every input.</summary>
    public static IDocument Parse(string html) => Parsers.Value!.ParseDocument(LimitNesting(html, MaxContainerDepth));

    private static readonly HashSet<string> Containers = new(StringComparer.OrdinalIgnoreCase)
    {
        "div", "span", "section", "article", "aside", "nav", "header", "footer", "main", "blockquote", "ul", "ol", "dl",
        "center", "font", "b", "i", "u", "s", "em", "strong", "small", "big", "fieldset", "figure", "figcaption",
        "details", "summary", "address", "dir", "menu", "hgroup", "dialog",
    };

    private static readonly string[] RawTextElements = ["script", "style", "textarea", "title", "xmp", "noembed", "plaintext"];

    /// <summary>
    /// Drops start and end tags of link-free container elements nested deeper than <paramref name="maxDepth"/>.
    /// A cheap scan, not a tokenizer: comments and raw-text elements are skipped so their content is not
    /// counted. Returns <paramref name="html"/> itself when nothing is that deep (every real page).
    /// </summary>
    internal static string LimitNesting(string html, int maxDepth)
    {
        StringBuilder? output = null;
        var copiedUpTo = 0;
        var depth = 0;
        var i = 0;
        while (i < html.Length)
        {
            var lt = html.IndexOf('<', i);
            if (lt < 0 || lt + 1 >= html.Length)
            {
                break;
            }

            if (html.AsSpan(lt).StartsWith("<!--"))
            {
                var close = html.IndexOf("-->", lt + 4, StringComparison.Ordinal);
                i = close < 0 ? html.Length : close + 3;
                continue;
            }

            var closing = html[lt + 1] == '/';
            var nameStart = lt + (closing ? 2 : 1);
            var nameEnd = nameStart;
            while (nameEnd < html.Length && char.IsAsciiLetterOrDigit(html[nameEnd]))
            {
                nameEnd++;
            }

            if (nameEnd == nameStart)
            {
                i = lt + 1;
                continue;
            }

            var name = html.AsSpan(nameStart, nameEnd - nameStart);
            var tagEnd = html.IndexOf('>', nameEnd);
            var next = tagEnd < 0 ? html.Length : tagEnd + 1;

            if (!closing && IsRawText(name))
            {
                var endTag = html.IndexOf("</" + name.ToString(), next, StringComparison.OrdinalIgnoreCase);
                i = endTag < 0 ? html.Length : endTag;
                continue;
            }

            if (!Containers.GetAlternateLookup<ReadOnlySpan<char>>().Contains(name))
            {
                i = next;
                continue;
            }

            bool drop;
            if (closing)
            {
                drop = depth > maxDepth;
                depth = Math.Max(0, depth - 1);
            }
            else
            {
                depth++;
                drop = depth > maxDepth;
            }

            if (drop)
            {
                output ??= new StringBuilder(html.Length);
                output.Append(html, copiedUpTo, lt - copiedUpTo);
                copiedUpTo = next;
            }

            i = next;
        }

        if (output is null)
        {
            return html;
        }

        output.Append(html, copiedUpTo, html.Length - copiedUpTo);
        return output.ToString();
    }

    private static bool IsRawText(ReadOnlySpan<char> name)
    {
        foreach (var element in RawTextElements)
        {
            if (name.Equals(element, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}

