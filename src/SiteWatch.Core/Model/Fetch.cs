namespace SiteWatch.Core.Model;

/// <summary>How a fetch ended. Expected failures are values, never exceptions (architecture habit 1).</summary>
public enum FetchState
{
    Ok,
    HttpError,
    Dns,
    Refused,
    Timeout,
    Tls,
    RedirectLoop,
    TooManyRedirects,
    NetworkError,
    TooLarge,

    /// <summary>The address is loopback/private/link-local and private addresses are not allowed (SSRF guard).</summary>
    Blocked,

    /// <summary>A 200 whose page says the content does not exist (soft 404).</summary>
    SoftNotFound,

    /// <summary>A WAF / anti-bot answer (429 after every retry, a challenge page): could not be judged.</summary>
    NotChecked,

    InvalidUrl,
}

/// <summary>The outcome of fetching one URL (after redirects and retries).</summary>
public sealed record FetchOutcome(FetchState State, int? StatusCode, string Message)
{
    /// <summary>URLs visited when redirects were followed, first to last (empty when there was none).</summary>
    public IReadOnlyList<string> RedirectChain { get; init; } = [];

    public string? FinalUrl { get; init; }
    public string? ContentType { get; init; }

    /// <summary>True when the thing does not load for a visitor (checks.md, dead-link).</summary>
    public bool IsBroken => State is not (FetchState.Ok or FetchState.NotChecked or FetchState.Blocked or FetchState.InvalidUrl or FetchState.TooLarge);

    private static readonly FetchOutcome[] SharedOk = Enumerable.Range(200, 100).Select(s => new FetchOutcome(FetchState.Ok, s, $"HTTP {s}")).ToArray();

    /// <summary>A successful answer; without a content type the instance is shared (a round holds one per link).</summary>
    public static FetchOutcome Ok(int status, string? contentType = null) =>
        contentType is null && status is >= 200 and < 300
            ? SharedOk[status - 200]
            : new(FetchState.Ok, status, $"HTTP {status}") { ContentType = contentType };
}

/// <summary>Where on a page a link was found; decides nothing but is shown to the webmaster.</summary>
public enum LinkKind
{
    Anchor,
    Area,
    Image,
    Script,
    Stylesheet,
    Frame,
    Embed,
}

/// <summary>A link found on a page, absolute and normalised (no fragment).</summary>
public sealed record PageLink(string Url, LinkKind Kind);

/// <summary>
/// Every distinct link of a site in a round, with where it was first seen and how it ended.
/// Filled by the crawler, judged by checks.
/// </summary>
public sealed class LinkRecord(string url, LinkKind kind, string firstSeenOn)
{
    public string Url { get; } = url;
    public LinkKind Kind { get; } = kind;
    public string FirstSeenOn { get; } = firstSeenOn;
    public int Occurrences { get; set; } = 1;
    public bool OnHomePage { get; set; }
    public bool Internal { get; set; }
    public FetchOutcome? Outcome { get; set; }
}
