using AngleSharp.Dom;

namespace SiteWatch.Core.Model;

/// <summary>
/// A page of a target's site as the crawler fetched it. <see cref="Document"/> is set for HTML pages
/// that loaded and is only valid while the page is being handed to the checks.
/// </summary>
public sealed record CrawledPage
{
    public required string Url { get; init; }
    public required int Depth { get; init; }
    public required FetchOutcome Outcome { get; init; }
    public bool IsHomePage { get; init; }
    public IDocument? Document { get; init; }
    public IReadOnlyList<PageLink> Links { get; init; } = [];

    /// <summary>
    /// The stylesheets the page links to, as far as the crawler could read them (fetched once per site,
    /// bounded in size). A stylesheet missing here could not be read; checks treat its rules as unknown.
    /// </summary>
    public IReadOnlyList<StylesheetText> Stylesheets { get; init; } = [];
    public long Bytes { get; init; }
    public TimeSpan Elapsed { get; init; }
}

/// <summary>What a whole-site crawl produced, besides the pages that were streamed through the checks.</summary>
public sealed record SiteCrawl
{
    public required string HomeUrl { get; init; }
    public required FetchOutcome HomeOutcome { get; init; }
    public required IReadOnlyCollection<LinkRecord> Links { get; init; }
    public int PagesCrawled { get; init; }

    /// <summary>Set when the site could not be judged at all (WAF, SSRF guard, login wall); the reason in plain words.</summary>
    public string? NotCheckedReason { get; init; }

    /// <summary>The certificate of the home page's host, for an https site.</summary>
    public CertificateReport? Certificate { get; init; }

    /// <summary>
    /// Where the site's own hosts (the registered one and the one its home page landed on) are served from.
    /// Empty when no host was looked up (an invalid registered address).
    /// </summary>
    public IReadOnlyList<HostLocation> Locations { get; init; } = [];

    /// <summary>The site's columns and the home page's newest item, as the column discovery found them (filled by the inspector).</summary>
    public SiteColumns Columns { get; init; } = SiteColumns.None;

    /// <summary>For a website: its availability probes in the 7 days before as-of, when the service probed it.</summary>
    public Availability? Availability { get; init; }

    /// <summary>For an account: what its platform adapter read (its posts, or why it could not).</summary>
    public AccountFeed? Feed { get; init; }

    /// <summary>Limits that cut the crawl short (max pages, trap guard), for the round's notes.</summary>
    public IReadOnlyList<string> Truncations { get; init; } = [];
}

/// <summary>The text of a linked stylesheet, by its absolute URL.</summary>
public sealed record StylesheetText(string Url, string Text);
