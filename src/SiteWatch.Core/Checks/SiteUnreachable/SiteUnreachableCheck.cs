using SiteWatch.Core.Model;

namespace SiteWatch.Core.Checks.SiteUnreachable;

/// <summary>
/// site-unreachable (站点无法访问), the inspection-time rule: the home page does not open after the
/// fetcher's retries. (The probe-history rule of checks.md joins when availability probes exist.)
/// A refused address (SSRF guard) or a WAF answer is "not checked", not "unreachable".
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
