using System.Globalization;
using SiteWatch.Core.Model;

namespace SiteWatch.Core.Checks.StaleColumn;

/// <summary>
/// stale-column (栏目不更新): a classified column whose newest item is older than its class allows (动态/要闻 14 days,
/// 通知公告/政策文件 6 months, …), or whose items carry no date at all. Unclassified columns are recorded, not
/// judged; blank columns are blank-column's. Deduct, but veto for all of them when too many are stale (rules).
/// </summary>
public sealed class StaleColumnCheck : ICheck
{
    public string Key => "stale-column";

    public string DisplayName => "栏目不更新";

    public TargetKind Kind => TargetKind.Website;

    public ICheckSession Begin(CheckContext context) => new Session(this, context);

    private sealed class Session(StaleColumnCheck check, CheckContext context) : ICheckSession
    {
        public void OnPage(CrawledPage page)
        {
        }

        public CheckResult Complete(SiteCrawl crawl)
        {
            var rules = context.Rules.Columns;
            var asOf = context.Round.AsOfDay;
            var stale = new List<(Column Column, ColumnClassInfo Class, string Detail)>();
            foreach (var column in crawl.Columns.Columns)
            {
                if (column.IsBlank || rules.Classes.FirstOrDefault(c => c.Key == column.Class) is not { } cls)
                {
                    continue;
                }

                var info = new ColumnClassInfo(cls.Name, cls.MaxAgeDays, cls.CountsTowardVeto);
                var where = $"栏目「{column.Name}」({cls.Name}, limit {cls.MaxAgeDays} days; {column.DatedItems} dated of {column.Items} items on {column.PagesRead} page(s){(column.Rendered ? ", rendered in a browser" : "")})";
                if (column.Newest is not { } newest)
                {
                    stale.Add((column, info, $"{where}: no item carries a date (undated items never count as updates)"));
                    continue;
                }

                var age = asOf.DayNumber - newest.DayNumber;
                if (age > cls.MaxAgeDays)
                {
                    stale.Add((column, info, string.Create(CultureInfo.InvariantCulture, $"{where}: newest item {newest:yyyy-MM-dd}, {age} days before {asOf:yyyy-MM-dd}")));
                }
            }

            var marked = stale.Count(s => s.Class.CountsTowardVeto);
            var veto = marked >= rules.StaleColumnVetoInMarkedClasses || stale.Count >= rules.StaleColumnVetoOverall;
            return CheckResult.Flagged(stale.Select(s => new Finding
            {
                Check = check.Key,
                Severity = veto ? Severity.Veto : rules.StaleColumnSeverity,
                Url = s.Column.ListUrl,
                Subject = s.Column.ListUrl,
                Detail = veto ? $"{s.Detail}; {stale.Count} stale columns on the site ({marked} news/notice): veto" : s.Detail,
                ObservedAt = context.Round.AsOf,
            }).ToList());
        }

        private sealed record ColumnClassInfo(string Name, int MaxAgeDays, bool CountsTowardVeto);
    }
}
