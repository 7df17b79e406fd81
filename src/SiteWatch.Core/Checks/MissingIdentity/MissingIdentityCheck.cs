using System.Text.RegularExpressions;
using AngleSharp.Dom;
using SiteWatch.Core.Model;

namespace SiteWatch.Core.Checks.MissingIdentity;

/// <summary>
/// missing-identity (标识缺失): the home page must show the 政府网站标识码 (equal to the registered code),
/// an ICP备案编号, a 公安机关备案号 and the 党政机关网站标识. One finding per missing mark. When the home
/// page could not be read the check cannot decide and says so (a not-checked notice), never "missing".
/// </summary>
public sealed class MissingIdentityCheck : ICheck
{
    public string Key => "missing-identity";

    public string DisplayName => "标识缺失";

    public TargetKind Kind => TargetKind.Website;

    public ICheckSession Begin(CheckContext context) => new Session(this, context);

    private sealed class Session(MissingIdentityCheck check, CheckContext context) : ICheckSession
    {
        private readonly List<Finding> findings = [];
        private bool judged;

        public void OnPage(CrawledPage page)
        {
            if (!page.IsHomePage || page.Document?.Body is not { } body)
            {
                return;
            }

            judged = true;
            var rules = context.Rules.MissingIdentity;
            var text = Normalise(body.TextContent);

            var code = rules.SiteCode.Match(text);
            var registered = context.Target.SiteCode;
            if (!code.Success)
            {
                var meta = page.Document.QuerySelector("meta[name=SiteIDCode i]")?.GetAttribute("content");
                Add(page, "site-code", meta is null
                    ? "网站标识码 not shown on the home page"
                    : $"网站标识码 not shown on the home page (only in <meta name=\"SiteIDCode\" content=\"{meta}\">)", null);
            }
            else if (registered is not null && !string.Equals(code.Groups[1].Value, registered, StringComparison.OrdinalIgnoreCase))
            {
                Add(page, "site-code", $"网站标识码 on the page is {code.Groups[1].Value}, the registered code is {registered}", Around(text, code));
            }

            if (!rules.Icp.IsMatch(text))
            {
                Add(page, "icp", "ICP备案编号 not shown on the home page", null);
            }

            if (!rules.Psb.IsMatch(text))
            {
                Add(page, "psb", "公安机关备案号 not shown on the home page", null);
            }

            if (!HasBadge(page))
            {
                Add(page, "party-gov-badge", "党政机关网站标识 (conac.cn badge) not found on the home page", null);
            }
        }

        public CheckResult Complete(SiteCrawl crawl) =>
            judged ? CheckResult.Flagged(findings) : CheckResult.Skipped("the home page could not be read, so its identity marks were not judged");

        private bool HasBadge(CrawledPage page)
        {
            var rules = context.Rules.MissingIdentity;
            foreach (var link in page.Links)
            {
                if (Uri.TryCreate(link.Url, UriKind.Absolute, out var uri)
                    && rules.BadgeHosts.Any(h => uri.Host.Equals(h, StringComparison.OrdinalIgnoreCase) || uri.Host.EndsWith("." + h, StringComparison.OrdinalIgnoreCase)))
                {
                    return true;
                }
            }

            foreach (var image in page.Document!.QuerySelectorAll("img"))
            {
                var label = (image.GetAttribute("alt") ?? "") + " " + (image.GetAttribute("title") ?? "");
                if (rules.BadgeWords.Any(w => label.Contains(w, StringComparison.Ordinal)))
                {
                    return true;
                }
            }

            return false;
        }

        private void Add(CrawledPage page, string subject, string detail, string? evidence) => findings.Add(new Finding
        {
            Check = check.Key,
            Severity = context.Rules.MissingIdentity.Severity,
            Url = page.Url,
            Subject = subject,
            Detail = detail,
            ObservedAt = context.Round.AsOf,
            Evidence = evidence,
        });

        /// <summary>Page text with runs of white space (including full-width spaces) folded to one space.</summary>
        private static string Normalise(string text) => Regex.Replace(text, @"[\s\u3000]+", " ");

        private static string Around(string text, Match match)
        {
            var start = Math.Max(0, match.Index - 20);
            var end = Math.Min(text.Length, match.Index + match.Length + 20);
            return text[start..end].Trim();
        }
    }
}
