using System.Globalization;
using SiteWatch.Core.Model;

namespace SiteWatch.Core.Checks.StaleHomepage;

/// <summary>
/// stale-homepage (首页不更新): the newest dated item on the home page is older than the limit (14 days) before
/// as-of, or the home page dates nothing at all (undated items never count as updates). A home page that was not
/// read is not judged here (site-unreachable / not-checked say why).
/// </summary>
public sealed class StaleHomepageCheck : ICheck
{
    public string Key => "stale-homepage";

    public string DisplayName => "首页不更新";

    public TargetKind Kind => TargetKind.Website;

    public ICheckSession Begin(CheckContext context) => new Session(this, context);

    private sealed class Session(StaleHomepageCheck check, CheckContext context) : ICheckSession
    {
        public void OnPage(CrawledPage page)
        {
        }

        public CheckResult Complete(SiteCrawl crawl)
        {
            if (crawl.Columns.Home is not { } home)
            {
                return crawl.HomeOutcome.State == FetchState.Ok
                    ? CheckResult.Skipped("the home page is not an HTML page that could be read for dates")
                    : CheckResult.Passed;
            }

            var rules = context.Rules.Columns;
            var asOf = context.Round.AsOfDay;
            string detail;
            if (home.Newest is not { } newest)
            {
                detail = $"no dated item on the home page (undated items never count as updates); limit {rules.HomepageMaxAgeDays} days";
            }
            else
            {
                var age = asOf.DayNumber - newest.DayNumber;
                if (age <= rules.HomepageMaxAgeDays)
                {
                    return CheckResult.Passed;
                }

                detail = string.Create(CultureInfo.InvariantCulture,
                    $"newest dated item on the home page is {newest:yyyy-MM-dd}, {age} days before {asOf:yyyy-MM-dd}; limit {rules.HomepageMaxAgeDays} days ({home.DatedItems} dated items)");
            }

            return CheckResult.Flagged([new Finding
            {
                Check = check.Key,
                Severity = rules.StaleHomepageSeverity,
                Url = home.Url,
                Subject = home.Url,
                Detail = detail,
                ObservedAt = context.Round.AsOf,
            }]);
        }
    }
}
