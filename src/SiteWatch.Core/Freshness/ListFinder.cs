using AngleSharp.Dom;

namespace SiteWatch.Core.Freshness;

/// <summary>What the lists of a page hold: the best list (most dated items) and every dated item anywhere.</summary>
/// <remarks><see cref="TitledItems"/>: items of the best list whose link text is long enough to be an article title
/// (a list of sub-column names is not a list of articles).</remarks>
public sealed record PageLists(int Items, int DatedItems, DateOnly? Newest, int DatedAnywhere, DateOnly? NewestAnywhere, int TitledItems = 0)
{
    public static PageLists Empty { get; } = new(0, 0, null, 0, null);
}

/// <summary>
/// Finds the lists of a page: every link's item (its &lt;li&gt;, &lt;tr&gt;, &lt;dd&gt;/&lt;dt&gt;, &lt;p&gt;, or the
/// element around it) grouped by the element that holds the items, each item dated from its own text
/// (a date in a &lt;span&gt; or &lt;td&gt; beside the title is in the item's text). A year heading just above a
/// list (2026年) dates items that only say 11-20.
/// </summary>
public static class ListFinder
{
    private const int MaxItemChars = 300;
    private const int TitleChars = 8;

    public static PageLists Read(IDocument document, DateTimeOffset asOf, DateRules rules)
    {
        if (document.Body is not { } body)
        {
            return PageLists.Empty;
        }

        var groups = new Dictionary<IElement, (int Items, int Dated, DateOnly? Newest, int Titled)>();
        var years = new Dictionary<IElement, int?>();
        var items = new HashSet<IElement>();
        var datedAnywhere = 0;
        DateOnly? newestAnywhere = null;
        foreach (var anchor in body.QuerySelectorAll("a[href]"))
        {
            var item = anchor.Closest("li, tr, dd, dt, p") ?? anchor.ParentElement;
            if (item is null || item == body || !items.Add(item) || item.ParentElement is not { } container)
            {
                continue;
            }

            var text = SpacedText(item);
            if (text.Length > MaxItemChars)
            {
                // Not an item but a block of prose: its dates are not list dates.
                continue;
            }

            if (!years.TryGetValue(container, out var year))
            {
                years[container] = year = YearAbove(container);
            }

            var date = PublishDates.InItem(text, asOf, rules, year);
            groups.TryGetValue(container, out var group);
            group.Items++;
            if (anchor.TextContent.Trim().Length >= TitleChars)
            {
                group.Titled++;
            }
            if (date is { } d)
            {
                group.Dated++;
                group.Newest = group.Newest is { } n && n > d ? n : d;
                datedAnywhere++;
                newestAnywhere = newestAnywhere is { } m && m > d ? m : d;
            }

            groups[container] = group;
        }

        var best = groups.Values.OrderByDescending(g => g.Dated).ThenByDescending(g => g.Items).FirstOrDefault();
        return new PageLists(best.Items, best.Dated, best.Newest, datedAnywhere, newestAnywhere, best.Titled);
    }

    /// <summary>
    /// The item's text with a space between text nodes: a title that ends in a digit (第3期) must not run into the
    /// date in the next element (第3期2026-11-19).
    /// </summary>
    private static string SpacedText(IElement item)
    {
        var text = new System.Text.StringBuilder();
        foreach (var node in item.Descendants<IText>())
        {
            if (text.Length > MaxItemChars)
            {
                break;
            }

            text.Append(node.Data).Append(' ');
        }

        return text.ToString();
    }

    /// <summary>The year of a heading right above the list (or above the element holding it), if any.</summary>
    private static int? YearAbove(IElement container)
    {
        for (var element = container; element is not null && element.LocalName != "body"; element = element.ParentElement)
        {
            if (element.PreviousElementSibling is { } heading && heading.TextContent is { Length: <= 16 } text
                && PublishDates.YearHeading(text.Trim()) is { } year)
            {
                return year;
            }

            if (element != container)
            {
                break;
            }
        }

        return null;
    }
}
