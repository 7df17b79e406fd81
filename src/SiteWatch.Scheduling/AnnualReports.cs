using SiteWatch.Core.Model;
using SiteWatch.Core.Rules;
using SiteWatch.Reports;
using SiteWatch.Reports.Annual;
using SiteWatch.Reports.Scoring;
using SiteWatch.Storage;

namespace SiteWatch.Scheduling;

/// <summary>
/// Gathers a calendar year from storage — its rounds, their finished inspections, findings, correction cases, columns
/// and account activity, and the registry at year end — and writes the annual tables (<c>年度报表-YYYY.xlsx</c>). The
/// one path from the database to that workbook (<paramref name="reportRules"/>: crawler-rules, for scoring.yaml
/// and the rules version).
/// </summary>
public sealed class AnnualReports(RoundStore rounds, TargetStore targets, FindingStore findings, CorrectionStore corrections, RuleSet rules,
    ReportRules reportRules, TimeProvider time) : IAnnualReportSource
{
    /// <summary>China Standard Time: the year's end when the year has no round to take an offset from.</summary>
    private static readonly TimeSpan DefaultOffset = CorrectionStates.ChinaOffset;

    /// <exception cref="ScoringRulesException">crawler-rules/scoring.yaml is missing or wrong (file:line).</exception>
    public async Task<AnnualResult> WriteAsync(int year, string outDirectory, CancellationToken ct) =>
        AnnualReport.Write(await GatherAsync(year, ct), outDirectory);

    public async Task<AnnualInput> GatherAsync(int year, CancellationToken ct)
    {
        var scoring = reportRules.LoadScoring();
        var yearRounds = await rounds.OfYearAsync(year, ct);
        var inspections = new List<RoundInspection>();
        var yearFindings = new List<RoundFinding>();
        var columns = new List<ColumnCount>();
        var activity = new List<PostActivity>();
        foreach (var round in yearRounds)
        {
            var done = (await rounds.TargetsAsync(round.Id, ct)).Where(t => t.Status == RoundTargetStatus.Done)
                .Select(t => t.TargetId).ToHashSet(StringComparer.Ordinal);
            inspections.AddRange(done.Order(StringComparer.Ordinal).Select(id => new RoundInspection(round.Id, id)));
            yearFindings.AddRange((await findings.ForRoundAsync(round.Id, ct)).Where(f => done.Contains(f.TargetId)));
            if (round.Kind == TargetKind.Website)
            {
                columns.AddRange((await rounds.ColumnsAsync(round.Id, null, ct))
                    .Where(c => done.Contains(c.TargetId))
                    .GroupBy(c => c.TargetId, StringComparer.Ordinal)
                    .Select(g => new ColumnCount(round.Id, g.Key, g.Count())));
            }
            else
            {
                activity.AddRange((await rounds.AccountActivityAsync(round.Id, ct))
                    .Where(a => done.Contains(a.TargetId))
                    .Select(a => new PostActivity(round.Id, a.TargetId, a.NewestPost, a.RecentPosts, a.State)));
            }
        }

        var roundKinds = yearRounds.ToDictionary(r => r.Id, r => r.Kind, StringComparer.Ordinal);
        var ids = inspections.Select(i => i.TargetId).Distinct(StringComparer.Ordinal).ToList();
        var registry = await targets.GetManyAsync(ids, ct);
        // A target removed from the registry since still counts, under its id (as in a round's reports).
        var inspected = inspections.GroupBy(i => i.TargetId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => registry.GetValueOrDefault(g.Key) ?? new Target
        {
            Id = g.Key, Kind = roundKinds[g.First().RoundId], Name = g.Key, Url = "", Organization = "（已从名录中删除）", Region = "（未知地区）",
        }, StringComparer.Ordinal);

        var cases = yearRounds.Count == 0 ? [] : await corrections.ForRoundsAsync(yearRounds.Select(r => r.Id).ToList(), ct);
        var doneKeys = inspections.Select(i => (i.RoundId, i.TargetId)).ToHashSet();
        var offset = yearRounds.Count == 0 ? DefaultOffset : yearRounds[^1].AsOf.Offset;
        var yearEnd = new DateTimeOffset(year + 1, 1, 1, 0, 0, 0, offset);
        var atYearEnd = await targets.RegisteredBeforeAsync(yearEnd, ct);
        var platformNames = rules.Platforms.Values.ToDictionary(p => p.Key, p => p.Name, StringComparer.OrdinalIgnoreCase);

        return new AnnualInput(year, yearRounds, inspections, inspected, yearFindings,
            cases.Where(c => doneKeys.Contains((c.RoundId, c.TargetId))).ToList(), columns, activity, atYearEnd, platformNames,
            rules.Accounts.RecentPostDays, scoring, reportRules.Version(), time.GetUtcNow().ToOffset(offset));
    }
}
