namespace SiteWatch.Crawling.Browser;

/// <summary>The <c>Browser</c> section: the headless Chromium that renders pages built by JavaScript.</summary>
public sealed class BrowserOptions
{
    public const string Section = "Browser";

    /// <summary>Debian's package; an empty value means Playwright's own browser (<c>playwright install chromium</c>).</summary>
    public const string DebianChromium = "/usr/bin/chromium";

    /// <summary>The Chromium executable; empty: the one Playwright installs.</summary>
    public string ExecutablePath { get; set; } = DebianChromium;

    /// <summary>
    /// The switches used when <see cref="Arguments"/> is empty. The sandbox is off because the service usually runs as
    /// root in a container, where Chromium's sandbox cannot start; the browser only renders, it is never handed to a user.
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultArguments =
    [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ];

    /// <summary>
    /// Chromium switches; empty means <see cref="DefaultArguments"/>. Not pre-filled, because configuration binding adds
    /// to a list rather than replacing it: a configured list is then the whole list.
    /// </summary>
    public List<string> Arguments { get; set; } = [];

    public IReadOnlyList<string> EffectiveArguments => Arguments.Count > 0 ? Arguments : DefaultArguments;

    /// <summary>Longest a page may take to load, network idle included.</summary>
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>Pages rendered at once (each a tab in its own context); a tab costs tens of megabytes.</summary>
    public int MaxPages { get; set; } = 2;

    /// <summary>When false, every render answers "browser disabled" and no browser starts.</summary>
    public bool Enabled { get; set; } = true;

    public void Validate()
    {
        Require(TimeoutSeconds is >= 1 and <= 600, "Browser:TimeoutSeconds must be 1..600");
        Require(MaxPages is >= 1 and <= 32, "Browser:MaxPages must be 1..32");
        Require(Arguments.All(a => !string.IsNullOrWhiteSpace(a)), "Browser:Arguments must not hold empty entries");
        Require(!Arguments.Any(a => a.StartsWith("--host-resolver-rules", StringComparison.Ordinal)),
            "Browser:Arguments must not set --host-resolver-rules; it is built from Network:ConnectTo and Network:DnsOverrides");
        Require(ExecutablePath.Length == 0 || Path.IsPathFullyQualified(ExecutablePath),
            $"Browser:ExecutablePath must be an absolute path or empty (Playwright's own browser), not '{ExecutablePath}'");
    }

    private static void Require(bool ok, string message)
    {
        if (!ok)
        {
            throw new InvalidOperationException(message);
        }
    }
}
