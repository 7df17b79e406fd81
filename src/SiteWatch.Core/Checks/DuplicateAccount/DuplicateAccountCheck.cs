using SiteWatch.Core.Model;

namespace SiteWatch.Core.Checks.DuplicateAccount;

/// <summary>
/// duplicate-account (重复开设): the organization runs more than one account on the same platform (one account per
/// unit per platform). Judged from the registry, whatever the account's posts; subject <c>platform/organization</c>,
/// the detail names every account, so the finding is the same from whichever of them is inspected.
/// </summary>
public sealed class DuplicateAccountCheck : ICheck
{
    public string Key => "duplicate-account";

    public string DisplayName => "重复开设";

    public TargetKind Kind => TargetKind.Account;

    public ICheckSession Begin(CheckContext context) => new Session(this, context);

    private sealed class Session(DuplicateAccountCheck check, CheckContext context) : ICheckSession
    {
        public void OnPage(CrawledPage page)
        {
        }

        public CheckResult Complete(SiteCrawl crawl)
        {
            var self = context.Target;
            if (self.Platform is not { } platform || context.Registry is not { } registry)
            {
                return CheckResult.Passed;
            }

            var same = registry
                .Where(t => t.Kind == TargetKind.Account && t.Organization == self.Organization
                            && string.Equals(t.Platform, platform, StringComparison.OrdinalIgnoreCase))
                .Append(self).DistinctBy(t => t.Id).OrderBy(t => t.Id, StringComparer.Ordinal).ToList();
            if (same.Count < 2)
            {
                return CheckResult.Passed;
            }

            return CheckResult.Flagged([new Finding
            {
                Check = check.Key,
                Severity = context.Rules.Accounts.DuplicateSeverity,
                Url = self.Url,
                Subject = $"{platform}/{self.Organization}",
                Detail = $"{self.Organization} runs {same.Count} {platform} accounts: {string.Join("; ", same.Select(t => $"{t.Name} ({t.Account ?? t.Id})"))}",
                ObservedAt = context.Round.AsOf,
            }]);
        }
    }
}
