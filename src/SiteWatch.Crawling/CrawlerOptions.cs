namespace SiteWatch.Crawling;

/// <summary>The <c>Crawler</c> section: every bound the crawler keeps (contract.md §3).</summary>
public sealed class CrawlerOptions
{
    public const string Section = "Crawler";

    public int MaxPagesPerSite { get; set; } = 2000;
    public int MaxDepth { get; set; } = 8;

    /// <summary>Requests in flight to one host:port at a time, crawl and link checks together.</summary>
    public int PerHostConcurrency { get; set; } = 2;

    /// <summary>Requests in flight in the whole process.</summary>
    public int GlobalConcurrency { get; set; } = 64;

    /// <summary>Targets inspected at the same time in a round.</summary>
    public int ParallelTargets { get; set; } = 8;

    public int RequestTimeoutSeconds { get; set; } = 15;

    /// <summary>Collect the youngest generation after this many megabytes of allocation (0: leave it to the runtime). See Gen0Governor.</summary>
    public int Gen0CollectEveryMegabytes { get; set; } = 8;

    /// <summary>
    /// An answer that completes within this last slice of the timeout counts as a timeout too. Timer jitter
    /// otherwise decides which side of the line a page that needs the whole budget lands on, and such a page
    /// has not opened in time for a visitor, who still has to render it.
    /// </summary>
    public int TimeoutMarginMilliseconds { get; set; } = 200;
    public long MaxResponseBytes { get; set; } = 5 * 1024 * 1024;
    public int MaxRedirects { get; set; } = 10;

    /// <summary>Stylesheets read per site for the hidden-link check (each once, whatever the number of pages linking it).</summary>
    public int MaxStylesheetsPerSite { get; set; } = 12;

    /// <summary>A stylesheet larger than this is not read (its rules count as unknown, never as hiding).</summary>
    public long MaxStylesheetBytes { get; set; } = 512 * 1024;

    /// <summary>Distinct query strings crawled per path before further variants are only checked (calendar traps).</summary>
    public int MaxQueryVariantsPerPath { get; set; } = 30;

    /// <summary>Extra attempts after a transient failure (5xx, 429, reset, refused, DNS).</summary>
    public int Retries { get; set; } = 2;
    public int RetryBaseDelayMilliseconds { get; set; } = 400;

    /// <summary>Longest Retry-After honoured; a server asking for more is recorded as throttling us.</summary>
    public int MaxRetryAfterSeconds { get; set; } = 30;

    public string UserAgent { get; set; } = "SiteWatch/0.1 (+{contact}; government website inspection)";
    public string ContactUrl { get; set; } = "https://github.com/sitewatch/sitewatch";

    public string EffectiveUserAgent => UserAgent.Replace("{contact}", ContactUrl, StringComparison.Ordinal);

    public void Validate()
    {
        Require(MaxPagesPerSite >= 1, "Crawler:MaxPagesPerSite must be at least 1");
        Require(MaxDepth >= 0, "Crawler:MaxDepth must be 0 or more");
        Require(PerHostConcurrency is >= 1 and <= 64, "Crawler:PerHostConcurrency must be 1..64");
        Require(GlobalConcurrency >= PerHostConcurrency, "Crawler:GlobalConcurrency must be at least PerHostConcurrency");
        Require(ParallelTargets >= 1, "Crawler:ParallelTargets must be at least 1");
        Require(RequestTimeoutSeconds is >= 1 and <= 600, "Crawler:RequestTimeoutSeconds must be 1..600");
        Require(TimeoutMarginMilliseconds >= 0 && TimeoutMarginMilliseconds < RequestTimeoutSeconds * 1000, "Crawler:TimeoutMarginMilliseconds must be 0 or more and below the timeout");
        Require(MaxResponseBytes >= 1024, "Crawler:MaxResponseBytes must be at least 1024");
        Require(MaxRedirects is >= 0 and <= 50, "Crawler:MaxRedirects must be 0..50");
        Require(MaxStylesheetsPerSite is >= 0 and <= 100, "Crawler:MaxStylesheetsPerSite must be 0..100");
        Require(MaxStylesheetBytes is >= 1024 and <= 16 * 1024 * 1024, "Crawler:MaxStylesheetBytes must be 1024..16777216");
        Require(Retries is >= 0 and <= 10, "Crawler:Retries must be 0..10");
    }

    private static void Require(bool ok, string message)
    {
        if (!ok)
        {
            throw new InvalidOperationException(message);
        }
    }
}

/// <summary>The <c>Network</c> section: name resolution overrides, connection redirection and the SSRF guard.</summary>
public sealed class NetworkOptions
{
    public const string Section = "Network";

    /// <summary>host → comma-separated IPs returned by name resolution for that host.</summary>
    public Dictionary<string, string> DnsOverrides { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>host → ip:port where connections for that host really go (URL, Host header and SNI unchanged).</summary>
    public Dictionary<string, string> ConnectTo { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>When false (default), loopback, private and link-local addresses are refused after resolution.</summary>
    public bool AllowPrivateAddresses { get; set; }

    /// <summary>PEM files of extra root certificates to trust on top of the system's.</summary>
    public List<string> ExtraTrustedRoots { get; set; } = [];
}
