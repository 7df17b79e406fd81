using System.Globalization;
using SiteWatch.Core.Checks.SleepingAccount;
using SiteWatch.Core.Model;

namespace SiteWatch.Core.Checks.ZombieAccount;

/// <summary>
/// zombie-account (僵尸账号): no post at all, or the newest (not pinned) older than the zombie limit (90 days). Posts
/// without a time never count. Only accounts that were read; a failed read is never a zombie.
/// </summary>
public sealed class ZombieAccountCheck : ICheck
{
    public string Key => "zombie-account";

    public string DisplayName => "僵尸账号";

    public TargetKind Kind => TargetKind.Account;

    public ICheckSession Begin(CheckContext context) => new Session(this, context);

    private sealed class Session(ZombieAccountCheck check, CheckContext context) : ICheckSession
    {
        public void OnPage(CrawledPage page)
        {
        }

        public CheckResult Complete(SiteCrawl crawl)
        {
            if (crawl.Feed is not { State: FeedState.Ok } feed)
            {
                return CheckResult.Passed;
            }

            var rules = context.Rules.Accounts;
            string detail;
            if (AccountAges.Newest(feed) is not { PublishedAt: { } published })
            {
                detail = feed.Posts.Count == 0
                    ? "no post at all"
                    : $"no dated post that is not pinned ({feed.Posts.Count} post(s) read)";
            }
            else
            {
                var days = AccountAges.DaysBefore(published, context.Round.AsOf);
                if (days <= rules.ZombieDays)
                {
                    return CheckResult.Passed;
                }

                detail = string.Create(CultureInfo.InvariantCulture,
                    $"newest post {published.ToOffset(context.Round.AsOf.Offset):yyyy-MM-dd}, {days} days before {context.Round.AsOf:yyyy-MM-dd}; limit {rules.ZombieDays} days");
            }

            return CheckResult.Flagged([new Finding
            {
                Check = check.Key,
                Severity = rules.ZombieSeverity,
                Url = context.Target.Url,
                Subject = context.Target.Account ?? context.Target.Id,
                Detail = detail,
                ObservedAt = context.Round.AsOf,
            }]);
        }
    }
}
