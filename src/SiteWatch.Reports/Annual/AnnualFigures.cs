using SiteWatch.Core.Checks;
using SiteWatch.Core.Model;
using SiteWatch.Reports.Scoring;

namespace SiteWatch.Reports.Annual;

/// <summary>
/// Correction cases counted by where they stand: <see cref="Found"/> = all; <see cref="Verified"/> (已整改: a re-check
/// confirmed the fix); <see cref="Superseded"/> (被新轮次取代: a later round inspected the target again and its findings
/// carry on); <see cref="Open"/> (整改中: found, notified, claimed or reopened).
/// </summary>
public sealed record CaseCounts(int Found, int Verified, int Open, int Superseded)
{
    public static readonly CaseCounts None = new(0, 0, 0, 0);

    /// <summary>
    /// 整改率 = 已整改 / (问题数 − 被新轮次取代): of the cases a later round did not take over, the share a re-check
    /// confirmed fixed. Null when there is no such case (shown as —).
    /// </summary>
    public double? Rate => Found - Superseded <= 0 ? null : (double)Verified / (Found - Superseded);

    public static CaseCounts Of(IEnumerable<Correction> cases)
    {
        int found = 0, verified = 0, open = 0, superseded = 0;
        foreach (var c in cases)
        {
            found++;
            switch (c.State)
            {
                case CorrectionState.Verified:
                    verified++;
                    break;
                case CorrectionState.Superseded:
                    superseded++;
                    break;
                default:
                    open++;
                    break;
            }
        }

        return new CaseCounts(found, verified, open, superseded);
    }
}

/// <summary>One line of 监管年度报表: a quarter (or the whole year) of inspections, counted per inspection (个次).</summary>
public sealed record PeriodFigures(string Period, int WebsiteRounds, int AccountRounds, int WebsitesInspected, int WebsitesFailed, int AccountsInspected, int AccountsFailed)
{
    /// <summary>合格率 = (抽查数 − 不合格数) / 抽查数; null with nothing inspected.</summary>
    public double? WebsiteRate => Rate(WebsitesInspected, WebsitesFailed);

    public double? AccountRate => Rate(AccountsInspected, AccountsFailed);

    private static double? Rate(int inspected, int failed) => inspected == 0 ? null : (double)(inspected - failed) / inspected;
}

/// <summary>One line of 问题统计: the cases of one check at one severity.</summary>
public sealed record ProblemFigures(string Check, Severity Severity, CaseCounts Cases);

/// <summary>One line of 政府网站工作年度报表.</summary>
/// <param name="Columns">Columns found by the website's last inspection of the year; <see cref="StaleColumns"/> of them judged 栏目不更新.</param>
public sealed record WebsiteFigures(Target Target, int Inspected, int Qualified, int Columns, int StaleColumns, CaseCounts Cases);

/// <summary>One line of 政务新媒体工作年度报表; activity and status from the account's last inspection of the year.</summary>
/// <param name="Activity">Null when that inspection stored no activity.</param>
/// <param name="Status">正常, 不更新 (sleeping-account or zombie-account) or 无法访问 (account-unreachable).</param>
public sealed record AccountFigures(Target Target, int Inspected, int Qualified, PostActivity? Activity, string Status, CaseCounts Cases);

/// <summary>The annual tables' numbers, computed from an <see cref="AnnualInput"/>; the workbook only lays them out.</summary>
/// <param name="Periods">第一季度 … 第四季度, then 全年 (the sum of the four).</param>
/// <param name="RegistryAccounts">Accounts registered at year end per platform name, most first.</param>
public sealed record AnnualFigures(
    AnnualInput Input,
    IReadOnlyList<PeriodFigures> Periods,
    IReadOnlyList<ProblemFigures> Problems,
    CaseCounts Total,
    IReadOnlyList<WebsiteFigures> Websites,
    IReadOnlyList<AccountFigures> Accounts,
    int RegistryWebsites,
    IReadOnlyList<(string Platform, int Count)> RegistryAccounts)
{
    public const string Normal = "正常";
    public const string NotUpdated = "不更新";
    public const string Unreachable = "无法访问";

    public static readonly string[] QuarterNames = ["第一季度", "第二季度", "第三季度", "第四季度"];

    public PeriodFigures Year => Periods[^1];

    /// <summary>The quarter (1–4) of a round: of its as-of, in the round's own offset.</summary>
    public static int QuarterOf(Round round) => (round.AsOf.Month - 1) / 3 + 1;

    public static AnnualFigures Compute(AnnualInput input)
    {
        var rounds = input.Rounds.ToDictionary(r => r.Id, StringComparer.Ordinal);
        var order = input.Rounds.Select((r, i) => (r.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        var findings = input.Findings.ToLookup(f => (f.RoundId, f.TargetId), f => f.Finding);
        // Judged exactly as the notification workbook judges a round (ReportWriter): every finding of the inspection.
        var verdicts = input.Inspections.ToDictionary(i => i, i => Verdict.Judge(findings[(i.RoundId, i.TargetId)].ToList(), input.Scoring));
        var inspections = input.Inspections.Where(i => rounds.ContainsKey(i.RoundId)).ToList();

        var periods = new List<PeriodFigures>();
        for (var q = 1; q <= 4; q++)
        {
            var quarter = q;
            periods.Add(Period(QuarterNames[q - 1], input.Rounds.Where(r => QuarterOf(r) == quarter).ToList(),
                inspections.Where(i => QuarterOf(rounds[i.RoundId]) == quarter).ToList()));
        }

        periods.Add(Period("全年", input.Rounds, inspections));

        var cases = input.Cases.Where(c => rounds.ContainsKey(c.RoundId)).ToList();
        var checkOrder = ChecksRegistration.All.Select((c, i) => (c.Key, i)).ToDictionary(x => x.Key, x => x.i, StringComparer.Ordinal);
        var problems = cases.GroupBy(c => (c.Finding.Check, c.Finding.Severity))
            .OrderByDescending(g => g.Key.Severity)
            .ThenBy(g => checkOrder.GetValueOrDefault(g.Key.Check, int.MaxValue))
            .ThenBy(g => g.Key.Check, StringComparer.Ordinal)
            .Select(g => new ProblemFigures(g.Key.Check, g.Key.Severity, CaseCounts.Of(g)))
            .ToList();
        var casesByTarget = cases.ToLookup(c => c.TargetId, StringComparer.Ordinal);

        var columns = input.Columns.ToDictionary(c => (c.RoundId, c.TargetId), c => c.Columns);
        var activity = input.Activity.ToDictionary(a => (a.RoundId, a.TargetId));
        var websites = new List<WebsiteFigures>();
        var accounts = new List<AccountFigures>();
        foreach (var group in inspections.GroupBy(i => i.TargetId, StringComparer.Ordinal))
        {
            var target = input.Targets[group.Key];
            var mine = group.OrderBy(i => order[i.RoundId]).ToList();
            var last = mine[^1];
            var qualified = mine.Count(i => verdicts[i].Qualified);
            var counts = CaseCounts.Of(casesByTarget[group.Key]);
            var lastFindings = findings[(last.RoundId, last.TargetId)].ToList();
            if (rounds[last.RoundId].Kind == TargetKind.Website)
            {
                var stale = lastFindings.Where(f => f.Check == "stale-column").Select(f => f.Subject).Distinct(StringComparer.Ordinal).Count();
                websites.Add(new WebsiteFigures(target, mine.Count, qualified, columns.GetValueOrDefault((last.RoundId, last.TargetId)), stale, counts));
            }
            else
            {
                var status = lastFindings.Any(f => f.Check == "account-unreachable") ? Unreachable
                    : lastFindings.Any(f => f.Check is "sleeping-account" or "zombie-account") ? NotUpdated
                    : Normal;
                accounts.Add(new AccountFigures(target, mine.Count, qualified, activity.GetValueOrDefault((last.RoundId, last.TargetId)), status, counts));
            }
        }

        var registryAccounts = input.Registry.Where(t => t.Kind == TargetKind.Account)
            .GroupBy(t => PlatformName(input, t.Platform), StringComparer.Ordinal)
            .Select(g => (g.Key, g.Count()))
            .OrderByDescending(p => p.Item2).ThenBy(p => p.Key, StringComparer.Ordinal)
            .ToList();

        return new AnnualFigures(input, periods, problems, CaseCounts.Of(cases),
            websites.OrderBy(w => w.Target.Region, StringComparer.Ordinal).ThenBy(w => w.Target.Id, StringComparer.Ordinal).ToList(),
            accounts.OrderBy(a => a.Target.Region, StringComparer.Ordinal).ThenBy(a => a.Target.Id, StringComparer.Ordinal).ToList(),
            input.Registry.Count(t => t.Kind == TargetKind.Website), registryAccounts);

        PeriodFigures Period(string name, IReadOnlyList<Round> periodRounds, IReadOnlyList<RoundInspection> periodInspections)
        {
            var website = periodInspections.Where(i => rounds[i.RoundId].Kind == TargetKind.Website).ToList();
            var account = periodInspections.Where(i => rounds[i.RoundId].Kind == TargetKind.Account).ToList();
            return new PeriodFigures(name,
                periodRounds.Count(r => r.Kind == TargetKind.Website), periodRounds.Count(r => r.Kind == TargetKind.Account),
                website.Count, website.Count(i => !verdicts[i].Qualified),
                account.Count, account.Count(i => !verdicts[i].Qualified));
        }
    }

    /// <summary>The platform's name from crawler-rules/platforms, the code itself when unknown, 未注明平台 when empty.</summary>
    public static string PlatformName(AnnualInput input, string? platform) =>
        string.IsNullOrWhiteSpace(platform) ? "未注明平台" : input.PlatformNames.GetValueOrDefault(platform, platform);
}
