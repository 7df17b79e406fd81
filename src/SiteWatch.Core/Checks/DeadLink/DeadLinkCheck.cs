using System.Text;
using SiteWatch.Core.Model;

namespace SiteWatch.Core.Checks.DeadLink;

/// <summary>
/// dead-link (链接不可用): every distinct link of the site that does not load for a visitor.
/// The crawler fetched or probed each link once per round; this check only judges the outcomes
/// and the soft-404 pages it saw go by.
/// </summary>
public sealed class DeadLinkCheck : ICheck
{
    public string Key => "dead-link";

    public string DisplayName => "链接不可用";

    public TargetKind Kind => TargetKind.Website;

    public ICheckSession Begin(CheckContext context) => new Session(this, context);

    private sealed class Session(DeadLinkCheck check, CheckContext context) : ICheckSession
    {
        private readonly Dictionary<string, string> softNotFound = new(StringComparer.Ordinal);

        public void OnPage(CrawledPage page)
        {
            if (page.Document is null || page.Outcome.State != FetchState.Ok)
            {
                return;
            }

            var phrase = SoftNotFound.Detect(page.Document, context.Rules.DeadLink);
            if (phrase is not null)
            {
                softNotFound[page.Url] = phrase;
            }
        }

        public CheckResult Complete(SiteCrawl crawl)
        {
            var findings = new List<Finding>();
            foreach (var link in crawl.Links)
            {
                var outcome = link.Outcome;
                if (outcome is null)
                {
                    continue;
                }

                string? reason = null;
                if (outcome.IsBroken)
                {
                    reason = outcome.Message;
                }
                else if (outcome.State == FetchState.Ok
                         && softNotFound.TryGetValue(outcome.FinalUrl ?? link.Url, out var phrase))
                {
                    reason = $"soft 404: HTTP {outcome.StatusCode} but the page says “{phrase}”";
                }

                if (reason is null)
                {
                    continue;
                }

                findings.Add(new Finding
                {
                    Check = check.Key,
                    Severity = context.Rules.DeadLink.Severity,
                    Url = link.FirstSeenOn,
                    Subject = link.Url,
                    Detail = Describe(link, reason),
                    Occurrences = link.Occurrences,
                    ObservedAt = context.Round.AsOf,
                    Evidence = outcome.RedirectChain.Count > 0 ? string.Join(" → ", outcome.RedirectChain) : null,
                });
            }

            return CheckResult.Flagged(findings);
        }

        private static string Describe(LinkRecord link, string reason)
        {
            var detail = new StringBuilder(reason);
            detail.Append("; ").Append(KindWord(link.Kind));
            detail.Append(link.Internal ? ", on this site" : ", external");
            if (link.OnHomePage)
            {
                detail.Append(", on the home page");
            }

            return detail.ToString();
        }

        private static string KindWord(LinkKind kind) => kind switch
        {
            LinkKind.Anchor or LinkKind.Area => "link",
            LinkKind.Image => "image",
            LinkKind.Script => "script",
            LinkKind.Stylesheet => "stylesheet",
            LinkKind.Frame => "frame",
            _ => "embedded object",
        };
    }
}
