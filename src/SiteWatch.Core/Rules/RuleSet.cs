using SiteWatch.Core.Model;

namespace SiteWatch.Core.Rules;

/// <summary>All policy read from crawler-rules/, one record per file. Loaded and validated by SiteWatch.Rules.</summary>
public sealed record RuleSet(DeadLinkRules DeadLink, SiteUnreachableRules SiteUnreachable, MissingIdentityRules MissingIdentity, CommercialAdRules CommercialAd,
    SeriousErrorRules SeriousError, TlsRules Tls, HiddenLinkRules HiddenLink, OverseasHostRules OverseasHost, ColumnRules Columns,
    AccountRules Accounts, IReadOnlyDictionary<string, PlatformRules> Platforms);

/// <summary>crawler-rules/dead-link.yaml.</summary>
public sealed record DeadLinkRules
{
    public Severity Severity { get; init; } = Severity.Deduct;

    /// <summary>A 200 page whose &lt;title&gt; contains one of these is a soft 404.</summary>
    public IReadOnlyList<string> SoftNotFoundTitles { get; init; } = [];

    /// <summary>A 200 page whose main heading (h1–h3) or short body contains one of these is a soft 404.</summary>
    public IReadOnlyList<string> SoftNotFoundPhrases { get; init; } = [];

    /// <summary>Body text (without navigation and footer links) shorter than this counts as "short" for the phrase rule.</summary>
    public int ShortPageChars { get; init; } = 400;

    /// <summary>HEAD answers that mean "ask again with GET" (servers that refuse or mishandle HEAD).</summary>
    public IReadOnlyList<int> HeadRefusedStatuses { get; init; } = [400, 403, 404, 405, 501];
}

/// <summary>crawler-rules/site-unreachable.yaml.</summary>
public sealed record SiteUnreachableRules
{
    /// <summary>Severity when the home page fails at inspection and there is no probe history to judge by.</summary>
    public Severity SeverityAtInspection { get; init; } = Severity.Deduct;

    /// <summary>Days of probe history judged before as-of.</summary>
    public int ProbeWindowDays { get; init; } = 7;

    /// <summary>Probes a day the history needs (on average) to be judged at all.</summary>
    public int MinProbesPerDay { get; init; } = 20;

    /// <summary>Failed probes, in percent of all, from which the site is unreachable.</summary>
    public double FailurePercent { get; init; } = 5;

    public Severity SeverityFromProbes { get; init; } = Severity.Veto;
}

/// <summary>crawler-rules/missing-identity.yaml.</summary>
public sealed record MissingIdentityRules
{
    public Severity Severity { get; init; } = Severity.Deduct;

    /// <summary>Finds the 政府网站标识码 in page text; group 1 is the code.</summary>
    public required System.Text.RegularExpressions.Regex SiteCode { get; init; }

    public required System.Text.RegularExpressions.Regex Icp { get; init; }

    public required System.Text.RegularExpressions.Regex Psb { get; init; }

    public IReadOnlyList<string> BadgeHosts { get; init; } = [];

    public IReadOnlyList<string> BadgeWords { get; init; } = [];
}

/// <summary>crawler-rules/commercial-ad.yaml.</summary>
public sealed record CommercialAdRules
{
    public Severity Severity { get; init; } = Severity.Veto;

    public IReadOnlyList<string> AdHosts { get; init; } = [];

    public IReadOnlyList<string> InlineMarkers { get; init; } = [];

    public IReadOnlyList<string> NotAds { get; init; } = [];

    /// <summary>Whether <paramref name="host"/> is one of <paramref name="hosts"/> or a subdomain of one.</summary>
    public static bool HostIn(string host, IReadOnlyList<string> hosts) =>
        hosts.Any(h => host.Equals(h, StringComparison.OrdinalIgnoreCase) || host.EndsWith("." + h, StringComparison.OrdinalIgnoreCase));
}

/// <summary>crawler-rules/serious-errors.yaml plus <c>Checks:SeriousError:ExtraPhrases</c>.</summary>
public sealed record SeriousErrorRules
{
    public Severity Severity { get; init; } = Severity.Veto;

    public IReadOnlyList<string> Phrases { get; init; } = [];
}

/// <summary>crawler-rules/tls-invalid.yaml.</summary>
public sealed record TlsRules
{
    public Severity Severity { get; init; } = Severity.Deduct;

    /// <summary>A valid certificate expiring within this many days gets a notice.</summary>
    public int ExpiryNoticeDays { get; init; } = 30;
}

/// <summary>crawler-rules/hidden-link.yaml.</summary>
public sealed record HiddenLinkRules
{
    public Severity Severity { get; init; } = Severity.Veto;

    /// <summary>Hosts (and their subdomains) whose links are never 暗链: other government sites, news media, service platforms.</summary>
    public IReadOnlyList<string> TrustedHosts { get; init; } = [];

    /// <summary>Gambling, lottery, porn, loan and SEO words; found in a hidden link's text or address they raise confidence.</summary>
    public IReadOnlyList<string> Keywords { get; init; } = [];

    /// <summary>A box positioned or indented at least this many pixels off the page (negative offsets) is off-screen.</summary>
    public int OffscreenPixels { get; init; } = 500;

    /// <summary>A width, height or font size at or below this many pixels shows nothing.</summary>
    public int TinyPixels { get; init; } = 1;

    /// <summary>An opacity at or below this (in hundredths) is invisible.</summary>
    public int MaxOpacityPercent { get; init; } = 5;

    /// <summary>A &lt;marquee&gt; this narrow or low (pixels), or scrolling at least <see cref="MarqueeScrollAmount"/>, hides its links.</summary>
    public int MarqueeMaxPixels { get; init; } = 5;

    public int MarqueeScrollAmount { get; init; } = 500;

    /// <summary>
    /// Words in the class or id of a hidden box (or its parent) that mark a drop-down menu, tab or panel a visitor
    /// opens; such a box hidden by display, visibility, opacity or a zero-height wrapper is not 暗链 unless keywords are in it.
    /// </summary>
    public IReadOnlyList<string> MenuMarkers { get; init; } = [];
}

/// <summary>crawler-rules/overseas-host.yaml, with <c>Geo:HomeCountries</c> from configuration taking the place of <see cref="HomeCountries"/>.</summary>
public sealed record OverseasHostRules
{
    public Severity Severity { get; init; } = Severity.Veto;

    /// <summary>ISO 3166-1 alpha-2 codes, upper case, of the countries that are not 境外 (HK, MO and TW are 境外 unless listed).</summary>
    public IReadOnlyList<string> HomeCountries { get; init; } = ["CN"];
}

/// <summary>crawler-rules/columns.yaml plus crawler-rules/column-overrides.yaml.</summary>
public sealed record ColumnRules
{
    /// <summary>Column classes in order: the first whose words occur in a column's name is its class.</summary>
    public IReadOnlyList<ColumnClass> Classes { get; init; } = [];

    /// <summary>Words of columns that are recorded but never judged by age (interaction, services).</summary>
    public IReadOnlyList<string> UnjudgedWords { get; init; } = [];

    /// <summary>Texts a CMS shows instead of items in an empty column.</summary>
    public IReadOnlyList<string> Placeholders { get; init; } = [];

    public int HomepageMaxAgeDays { get; init; } = 14;

    public Severity StaleHomepageSeverity { get; init; } = Severity.Veto;

    /// <summary>A list needs at least this many dated items to count as a column's list.</summary>
    public int MinListItems { get; init; } = 3;

    /// <summary>Pages of one column read (its first page and continuation pages).</summary>
    public int MaxPagesPerColumn { get; init; } = 3;

    /// <summary>A date later than as-of plus this many days is not a publication date.</summary>
    public int FutureToleranceDays { get; init; } = 2;

    public Severity StaleColumnSeverity { get; init; } = Severity.Deduct;

    /// <summary>Stale columns of the classes marked <c>veto_count</c> that make every stale-column finding of the site a veto.</summary>
    public int StaleColumnVetoInMarkedClasses { get; init; } = 5;

    /// <summary>Stale columns overall that make every stale-column finding of the site a veto.</summary>
    public int StaleColumnVetoOverall { get; init; } = 10;

    public Severity BlankColumnSeverity { get; init; } = Severity.Deduct;

    /// <summary>Blank columns that make every blank-column finding of the site a veto.</summary>
    public int BlankColumnVetoAt { get; init; } = 5;

    /// <summary>Per-target corrections of a column's class (crawler-rules/column-overrides.yaml).</summary>
    public IReadOnlyList<ColumnOverride> Overrides { get; init; } = [];
}

/// <summary>A column class: the words that put a column in it and how old its newest item may be.</summary>
public sealed record ColumnClass(string Key, string Name, int MaxAgeDays, IReadOnlyList<string> Words, bool CountsTowardVeto);

/// <summary>A general office's correction for one target's column, by list URL or name; <see cref="Class"/> null means "not judged".</summary>
public sealed record ColumnOverride(string TargetId, string? Url, string? Name, string? Class);

/// <summary>
/// One platform of crawler-rules/platforms/*.yaml: which adapter reads it, where an account's posts are, how to read
/// them, and how politely. Adding a platform is a file; only a platform no adapter fits needs a new adapter class.
/// </summary>
public sealed record PlatformRules
{
    /// <summary>The platform code used in the registry's <c>platform</c> column (file name without .yaml).</summary>
    public required string Key { get; init; }

    public required string Name { get; init; }

    /// <summary>rss, weibo, html or browser.</summary>
    public required string Adapter { get; init; }

    /// <summary>
    /// Where an account's posts are, with {account} for the registry's account id and {url} for its url; empty means
    /// the registry's url as given.
    /// </summary>
    public string? UrlTemplate { get; init; }

    /// <summary>Requests per minute to the platform's host (all accounts of the platform together).</summary>
    public int RequestsPerMinute { get; init; } = 30;

    /// <summary>Attempts after a throttled (418/429) or failed answer, with doubling waits from <see cref="RetryBaseSeconds"/>.</summary>
    public int Retries { get; init; } = 2;

    public int RetryBaseSeconds { get; init; } = 5;

    /// <summary>Texts of a page or API answer that mean the account is closed, banned or does not exist.</summary>
    public IReadOnlyList<string> ClosedPhrases { get; init; } = [];

    /// <summary>html/browser adapters: CSS selector of one post, and within it of its time, title, link, and pinned mark.</summary>
    public string? ItemSelector { get; init; }

    public string? TimeSelector { get; init; }

    public string? TitleSelector { get; init; }

    public string? LinkSelector { get; init; }

    public string? PinnedSelector { get; init; }

    /// <summary>Time zone of times written without an offset (hours from UTC); China Standard Time by default.</summary>
    public int DefaultUtcOffsetHours { get; init; } = 8;
}

/// <summary>crawler-rules/accounts.yaml: when an account sleeps, when it is a zombie, and severities.</summary>
public sealed record AccountRules
{
    /// <summary>Newest post older than this many days before as-of: sleeping (睡眠账号).</summary>
    public int SleepingDays { get; init; } = 14;

    /// <summary>No post at all, or the newest older than this many days: zombie (僵尸账号), reported instead of sleeping.</summary>
    public int ZombieDays { get; init; } = 90;

    public Severity SleepingSeverity { get; init; } = Severity.Veto;

    public Severity ZombieSeverity { get; init; } = Severity.Veto;

    public Severity UnreachableSeverity { get; init; } = Severity.Veto;

    public Severity DuplicateSeverity { get; init; } = Severity.Deduct;

    /// <summary>Days counted for "posts in the last N days", stored per round for the reports.</summary>
    public int RecentPostDays { get; init; } = 14;

    /// <summary>How often a throttled account is tried again later in the round, and how long to wait first.</summary>
    public int RetryLaterTimes { get; init; } = 2;

    public int RetryLaterSeconds { get; init; } = 60;
}
