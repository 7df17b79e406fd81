using SiteWatch.Core.Model;
using SiteWatch.Reports;
using SiteWatch.Reports.Scoring;
using SiteWatch.Storage;

namespace SiteWatch.Scheduling;

/// <summary>
/// Gathers a round from storage (its inspected targets and findings), the scoring and the rules version, and writes
/// its reports (<paramref name="rules"/>: the crawler-rules folder, for scoring.yaml and the rules version): the one path from the database to the workbooks, shared by <c>sitewatch report</c> and the UI.
/// Writing the correction notices issues them: the round's found cases of those targets become notified, with the
/// notice's deadline (<see cref="CorrectionStore.NotifyAsync"/>).
/// </summary>
public sealed class RoundReports(RoundStore rounds, TargetStore targets, FindingStore findings, ReportRules rules, TimeProvider time,
    CorrectionStore? corrections = null) : IRoundReportSource
{
    /// <summary>Writes the reports of <paramref name="roundId"/> (default: the latest round) under <paramref name="outDirectory"/>.</summary>
    /// <exception cref="RoundException">No such round, or no rounds yet.</exception>
    /// <exception cref="ScoringRulesException">crawler-rules/scoring.yaml is missing or wrong (file:line).</exception>
    public async Task<(Round Round, ReportInput Input, ReportResult Result)> WriteAsync(string? roundId, string outDirectory, CancellationToken ct)
    {
        var round = roundId is null ? await rounds.LatestAsync(ct) : await rounds.GetAsync(roundId, ct);
        if (round is null)
        {
            throw new RoundException(roundId is null ? "no rounds yet; run `sitewatch inspect` first" : $"no round with id {roundId}");
        }

        var input = await GatherAsync(round, ct);
        var result = ReportWriter.Write(input, outDirectory);
        if (corrections is not null)
        {
            foreach (var target in input.Targets.Where(t => result.Verdicts[t.Id].Findings.Count > 0))
            {
                await corrections.NotifyAsync(round.Id, target.Id, input.NoticeDeadline, CorrectionStore.SystemActor, null, ct);
            }
        }

        return (round, input, result);
    }

    public async Task<ReportInput> GatherAsync(Round round, CancellationToken ct)
    {
        var scoring = rules.LoadScoring();
        var sample = await rounds.TargetsAsync(round.Id, ct);
        var done = sample.Where(t => t.Status == RoundTargetStatus.Done).Select(t => t.TargetId).ToList();
        var registry = await targets.GetManyAsync(done, ct);
        // A target removed from the registry since the round still counts in it, under its id.
        var inspected = done.Select(id => registry.GetValueOrDefault(id) ?? new Target
        {
            Id = id, Kind = round.Kind, Name = id, Url = "", Organization = "（已从名录中删除）", Region = "（未知地区）",
        }).ToList();
        var doneSet = done.ToHashSet(StringComparer.Ordinal);
        var roundFindings = (await findings.ForRoundAsync(round.Id, ct)).Where(f => doneSet.Contains(f.TargetId)).ToList();
        return new ReportInput(round, inspected, sample.Count, roundFindings, scoring, rules.Version(), time.GetUtcNow().ToOffset(round.AsOf.Offset));
    }
}
