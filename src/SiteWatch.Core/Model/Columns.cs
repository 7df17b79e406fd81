namespace SiteWatch.Core.Model;

/// <summary>
/// A column (栏目) of a website as found in one round: a list page of dated items (or a named column page that
/// turned out blank), with the class that decides how old its newest item may be.
/// </summary>
public sealed record Column
{
    public required string ListUrl { get; init; }

    /// <summary>The column's name as the site shows it: the navigation text that links to it, else the page title.</summary>
    public required string Name { get; init; }

    /// <summary>Key of the class from crawler-rules/columns.yaml (e.g. <c>news</c>); null when unclassified (recorded, not judged).</summary>
    public string? Class { get; init; }

    /// <summary>Items in its list(s), over the pages read, and how many of them carry a date.</summary>
    public int Items { get; init; }

    public int DatedItems { get; init; }

    public DateOnly? Newest { get; init; }

    /// <summary>Pages of the column read (the first and its continuation pages, up to the configured number).</summary>
    public int PagesRead { get; init; } = 1;

    /// <summary>Whether the list was judged on the page as a real browser rendered it (scripts build the list).</summary>
    public bool Rendered { get; init; }

    /// <summary>The placeholder text shown instead of items (暂无信息 …), if any.</summary>
    public string? Placeholder { get; init; }

    /// <summary>Set when the column has no items at all: a blank column.</summary>
    public bool IsBlank => DatedItems == 0 && (Items == 0 || Placeholder is not null);
}

/// <summary>The home page's own update state: the newest dated item on it.</summary>
public sealed record HomeFreshness(string Url, DateOnly? Newest, int DatedItems);

/// <summary>What the column discovery made of a site: its columns and the home page's newest item.</summary>
public sealed record SiteColumns(IReadOnlyList<Column> Columns, HomeFreshness? Home)
{
    public static SiteColumns None { get; } = new([], null);
}
