using SiteWatch.Core.Model;

namespace SiteWatch.Core.Checks.SiteUnreachable;

/// <summary>
/// site-unreachable (站点无法访问). With enough probe history (the service's probes, 20+ a day over the 7 days before
/// as-of): failures at or above 5 % are a veto, whatever the inspection saw. Without it, the inspection-time rule:
/// the home page does not open after the fetcher's retries. A refused address (SSRF guard) or a WAF answer is
/// "not checked", not "unreachable".
/// </summary>
public sealed class SiteUnreachableCheck : ICheck
{
    public string Key => "site-unreachable";

    public string DisplayName => "站点无法访问";

    public TargetKind Kind => TargetKind.Website;

    public ICheckSession Begin(CheckContext context) => new Session(this, context);

    private sealed class Session(SiteUnreachableCheck check, CheckContext context) : ICheckSession
    {
        public void OnPage(CrawledPage page)
        {
        }

        public CheckResult Complete(SiteCrawl crawl)
        {
            var rules = context.Rules.SiteUnreachable;
            if (crawl.Availability is { } history && history.Probes >= rules.MinProbesPerDay * rules.ProbeWindowDays)
            {
                return history.FailureRate * 100 < rules.FailurePercent
                    ? CheckResult.Passed
                    : CheckResult.Flagged([new Finding
                    {
                        Check = check.Key,
                        Severity = rules.SeverityFromProbes,
                        Url = crawl.HomeUrl,
                        Subject = crawl.HomeUrl,
                        Detail = string.Create(System.Globalization.CultureInfo.InvariantCulture,
                            $"{history.Failures} of {history.Probes} availability probes failed ({history.FailureRate * 100:0.0} %, limit {rules.FailurePercent} %) from {history.From:yyyy-MM-dd} to {history.To:yyyy-MM-dd}"),
                        ObservedAt = context.Round.AsOf,
                        Evidence = string.Join("; ", history.RecentFailures.Select(p => string.Create(System.Globalization.CultureInfo.InvariantCulture,
                            $"{p.At.ToOffset(context.Round.AsOf.Offset):yyyy-MM-dd HH:mm} {p.Error ?? $"HTTP {p.StatusCode}"}"))),
                    }]);
            }

            var home = crawl.HomeOutcome;
            if (!home.IsBroken)
            {
                return CheckResult.Passed;
            }

            return CheckResult.Flagged([new Finding
            {
                Check = check.Key,
                Severity = context.Rules.SiteUnreachable.SeverityAtInspection,
                Url = crawl.HomeUrl,
                Subject = crawl.HomeUrl,
                Detail = $"home page did not open at inspection: {home.Message}",
                ObservedAt = context.Round.AsOf,
                Evidence = home.RedirectChain.Count > 0 ? string.Join(" → ", home.RedirectChain) : null,
            }]);
        }
    }
}
