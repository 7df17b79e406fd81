using SiteWatch.Core.Model;

namespace SiteWatch.Core.Checks.NotChecked;

/// <summary>
/// not-checked (无法检测): the site could not be judged at all — the SSRF guard refused its address, or a
/// WAF throttled every request. Always a notice, so that "could not look" is never read as "clean".
/// </summary>
public sealed class NotCheckedCheck : ICheck
{
    public string Key => "not-checked";

    public string DisplayName => "无法检测";

    public TargetKind Kind => TargetKind.Website;

    public ICheckSession Begin(CheckContext context) => new Session(this, context);

    private sealed class Session(NotCheckedCheck check, CheckContext context) : ICheckSession
    {
        public void OnPage(CrawledPage page)
        {
        }

        public CheckResult Complete(SiteCrawl crawl) =>
            crawl.NotCheckedReason is null
                ? CheckResult.Passed
                : CheckResult.Flagged([new Finding
                {
                    Check = check.Key,
                    Severity = Severity.Notice,
                    Url = crawl.HomeUrl,
                    Subject = crawl.HomeUrl,
                    Detail = crawl.NotCheckedReason,
                    ObservedAt = context.Round.AsOf,
                }]);
    }
}
