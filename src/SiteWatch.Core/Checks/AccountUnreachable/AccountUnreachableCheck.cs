using SiteWatch.Core.Model;

namespace SiteWatch.Core.Checks.AccountUnreachable;

/// <summary>
/// account-unreachable (账号无法访问): the account page, feed or API is gone (404/410), the platform says the account
/// was closed, banned or does not exist, or it could not be read after bounded retries. A throttled account is not
/// this check's: it is tried again later in the round and, if still throttled, is a not-checked notice.
/// </summary>
public sealed class AccountUnreachableCheck : ICheck
{
    public string Key => "account-unreachable";

    public string DisplayName => "账号无法访问";

    public TargetKind Kind => TargetKind.Account;

    public ICheckSession Begin(CheckContext context) => new Session(this, context);

    private sealed class Session(AccountUnreachableCheck check, CheckContext context) : ICheckSession
    {
        public void OnPage(CrawledPage page)
        {
        }

        public CheckResult Complete(SiteCrawl crawl)
        {
            var detail = crawl.Feed switch
            {
                null => null,
                { State: FeedState.Gone } f => $"gone: {f.Message ?? $"HTTP {f.StatusCode}"}",
                { State: FeedState.Closed } f => $"closed: {f.Message}",
                { State: FeedState.Unreadable } f => $"unreadable after retries: {f.Message}",
                _ => null,
            };
            return detail is null
                ? CheckResult.Passed
                : CheckResult.Flagged([new Finding
                {
                    Check = check.Key,
                    Severity = context.Rules.Accounts.UnreachableSeverity,
                    Url = crawl.Feed!.Url,
                    Subject = context.Target.Account ?? context.Target.Id,
                    Detail = detail,
                    ObservedAt = context.Round.AsOf,
                }]);
        }
    }
}
