using SiteWatch.Core.Model;

namespace SiteWatch.Core.Checks.OverseasHost;

/// <summary>
/// overseas-host (境外服务器): one of the site's own hosts resolves (A/AAAA) to an address whose country is not a
/// home country (CN by default; HK, MO and TW are 境外). Only the site's own hosts are judged — the registered one
/// and the one its home page landed on — never the third-party hosts of its scripts, images or links. One finding
/// per host; the detail lists every address with its country. An address that is private or missing from the
/// country database, or a name that did not resolve, cannot be judged: the check says so (Skipped) rather than
/// passing the site or flagging it from missing data. Pure: the addresses and countries come from the crawl.
/// </summary>
public sealed class OverseasHostCheck : ICheck
{
    public string Key => "overseas-host";

    public string DisplayName => "境外服务器";

    public TargetKind Kind => TargetKind.Website;

    public ICheckSession Begin(CheckContext context) => new Session(this, context);

    /// <summary>"203.0.113.10 (US)", "10.0.0.5 (private)", "192.0.2.9 (not in the country database)".</summary>
    internal static string Describe(AddressLocation a) =>
        $"{a.Address} ({a.Country ?? (a.IsPrivate ? "private" : "not in the country database")})";

    private sealed class Session(OverseasHostCheck check, CheckContext context) : ICheckSession
    {
        public void OnPage(CrawledPage page)
        {
        }

        public CheckResult Complete(SiteCrawl crawl)
        {
            if (crawl.Locations.Count == 0)
            {
                return CheckResult.Skipped("the site's host was not looked up (no valid registered address)");
            }

            var rules = context.Rules.OverseasHost;
            var home = new HashSet<string>(rules.HomeCountries, StringComparer.OrdinalIgnoreCase);
            var findings = new List<Finding>();
            var undecided = new List<string>();
            foreach (var location in crawl.Locations)
            {
                if (location.Error is not null || location.Addresses.Count == 0)
                {
                    undecided.Add($"{location.Host}: {location.Error ?? "no address"}");
                    continue;
                }

                var listed = $"{location.Host} → {string.Join(", ", location.Addresses.Select(Describe))}";
                if (location.Addresses.Any(a => a.Country is { } country && !home.Contains(country)))
                {
                    findings.Add(new Finding
                    {
                        Check = check.Key,
                        Severity = rules.Severity,
                        Url = crawl.HomeUrl,
                        Subject = location.Host,
                        Detail = listed,
                        ObservedAt = context.Round.AsOf,
                    });
                }
                else if (location.Addresses.Any(a => a.Country is null))
                {
                    undecided.Add(location.Addresses.All(a => a.IsPrivate)
                        ? $"{listed}: a private/loopback address has no country"
                        : $"{listed}: the country of an address is not known");
                }
            }

            return findings.Count > 0 ? CheckResult.Flagged(findings)
                : undecided.Count > 0 ? CheckResult.Skipped("hosting location not judged: " + string.Join("; ", undecided))
                : CheckResult.Passed;
        }
    }
}
