using AngleSharp.Dom;
using SiteWatch.Core.Rules;

namespace SiteWatch.Core.Checks.DeadLink;

/// <summary>Recognises a "page not found" page served with 200 (soft 404) from its title, heading or short text.</summary>
public static class SoftNotFound
{
    /// <summary>The phrase that gave the page away, or null when it looks like a real page.</summary>
    public static string? Detect(IDocument document, DeadLinkRules rules)
    {
        var title = document.Title ?? "";
        foreach (var phrase in rules.SoftNotFoundTitles)
        {
            if (title.Contains(phrase, StringComparison.OrdinalIgnoreCase))
            {
                return phrase;
            }
        }

        var body = document.Body;
        if (body is null)
        {
            return null;
        }

        foreach (var heading in body.QuerySelectorAll("h1, h2, h3"))
        {
            var text = heading.TextContent;
            foreach (var phrase in rules.SoftNotFoundPhrases)
            {
                if (text.Contains(phrase, StringComparison.OrdinalIgnoreCase))
                {
                    return phrase;
                }
            }
        }

        // A short page that says "not found" anywhere: count text outside links only, so that a long
        // navigation bar does not make an error page look like content.
        var ownText = OwnTextLength(body);
        if (ownText <= rules.ShortPageChars)
        {
            var all = body.TextContent;
            foreach (var phrase in rules.SoftNotFoundPhrases)
            {
                if (all.Contains(phrase, StringComparison.OrdinalIgnoreCase))
                {
                    return phrase;
                }
            }
        }

        return null;
    }

    private static int OwnTextLength(IElement body)
    {
        var total = 0;
        foreach (var node in body.Descendants<IText>())
        {
            if (node.ParentElement?.Closest("a, script, style, noscript") is null)
            {
                total += node.Data.AsSpan().Trim().Length;
            }
        }

        return total;
    }
}
