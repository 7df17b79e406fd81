using SiteWatch.Core.Model;

namespace SiteWatch.Core.Checks.BlankColumn;

/// <summary>
/// blank-column (空白栏目): a column page with no items, or only a placeholder (暂无信息); a list built by scripts is
/// judged as a real browser renders it. Deduct; veto for all of them from the configured count on.
/// </summary>
public sealed class BlankColumnCheck : ICheck
{
    public string Key => "blank-column";

    public string DisplayName => "空白栏目";

    public TargetKind Kind => TargetKind.Website;

    public ICheckSession Begin(CheckContext context) => new Session(this, context);

    private sealed class Session(BlankColumnCheck check, CheckContext context) : ICheckSession
    {
        public void OnPage(CrawledPage page)
        {
        }

        public CheckResult Complete(SiteCrawl crawl)
        {
            var rules = context.Rules.Columns;
            var blank = crawl.Columns.Columns.Where(c => c.IsBlank).ToList();
            var veto = blank.Count >= rules.BlankColumnVetoAt;
            return CheckResult.Flagged(blank.Select(c =>
            {
                var what = c.Placeholder is { } p ? $"only the placeholder “{p}”" : "no items";
                var rendered = c.Rendered ? "; rendered in a browser, still blank" : "";
                var count = veto ? $"; {blank.Count} blank columns on the site: veto" : "";
                return new Finding
                {
                    Check = check.Key,
                    Severity = veto ? Severity.Veto : rules.BlankColumnSeverity,
                    Url = c.ListUrl,
                    Subject = c.ListUrl,
                    Detail = $"栏目「{c.Name}」: {what}{rendered}{count}",
                    ObservedAt = context.Round.AsOf,
                };
            }).ToList());
        }
    }
}
