using System.Globalization;
using SiteWatch.Core.Model;

namespace SiteWatch.Core.Checks.SleepingAccount;

/// <summary>
/// sleeping-account (睡眠账号): the newest post (pinned posts never count as newest) is older than the sleeping limit
/// (14 days) before as-of but not older than the zombie limit — a zombie is reported as zombie only. An account that
/// could not be read is never judged here (account-unreachable or a not-checked notice say why).
/// </summary>
public sealed class SleepingAccountCheck : ICheck
{
    public string Key => "sleeping-account";

    public string DisplayName => "睡眠账号";

    public TargetKind Kind => TargetKind.Account;

    public ICheckSession Begin(CheckContext context) => new Session(this, context);

    private sealed class Session(SleepingAccountCheck check, CheckContext context) : ICheckSession
    {
        public void OnPage(CrawledPage page)
        {
        }

        public CheckResult Complete(SiteCrawl crawl)
        {
            if (crawl.Feed is not { State: FeedState.Ok } feed || AccountAges.Newest(feed) is not { PublishedAt: { } published } newest)
            {
                return CheckResult.Passed;
            }

            var rules = context.Rules.Accounts;
            var days = AccountAges.DaysBefore(published, context.Round.AsOf);
            if (days <= rules.SleepingDays || days > rules.ZombieDays)
            {
                return CheckResult.Passed;
            }

            var pinned = feed.Posts.Count(p => p.Pinned);
            return CheckResult.Flagged([new Finding
            {
                Check = check.Key,
                Severity = rules.SleepingSeverity,
                Url = context.Target.Url,
                Subject = context.Target.Account ?? context.Target.Id,
                Detail = string.Create(CultureInfo.InvariantCulture,
                    $"newest post {published.ToOffset(context.Round.AsOf.Offset):yyyy-MM-dd HH:mm}, {days} days before {context.Round.AsOf:yyyy-MM-dd}; limit {rules.SleepingDays} days{(pinned > 0 ? $" ({pinned} pinned post(s) not counted)" : "")}"),
                ObservedAt = context.Round.AsOf,
                Evidence = newest.Url,
            }]);
        }
    }
}
