using Microsoft.Extensions.Logging;
using SiteWatch.Core.Model;
using SiteWatch.Storage;

namespace SiteWatch.Scheduling.Corrections;

/// <summary>What a re-check did with one open correction.</summary>
public sealed record RecheckOutcome(Correction Correction, RecheckVerdict Verdict, CorrectionState State, string Note);

/// <summary>
/// Re-checks (复查) a target's open corrections: inspects the target again now, with every check, exactly as a round
/// would (nothing is written into any round), and settles each case. A case is closed only when the re-check read the
/// page (or account) where the finding was seen and did not find it there again; when it could not read that place
/// (site down, page no longer reached, a check that could not decide) nothing is concluded and the case stays as it is.
/// </summary>
public sealed class Rechecks(CorrectionStore corrections, TargetStore targets, RoundStore rounds, TargetInspector inspector, TimeProvider time,
    ILogger<Rechecks> logger)
{
    public async Task<IReadOnlyList<RecheckOutcome>> RecheckTargetAsync(string targetId, CancellationToken ct)
    {
        var open = await corrections.ListAsync(openOnly: true, ct, targetId);
        if (open.Count == 0)
        {
            return [];
        }

        var target = (await targets.GetManyAsync([targetId], ct)).GetValueOrDefault(targetId);
        Inspection? inspection = null;
        string? failure = null;
        var lookedAt = time.GetUtcNow();
        if (target is null)
        {
            failure = "目标已从名录中删除 the target was removed from the registry";
        }
        else
        {
            var round = await rounds.GetAsync(open[0].RoundId, ct);
            var now = lookedAt;
            var asOf = now.ToOffset(round?.AsOf.Offset ?? CorrectionStates.ChinaOffset);
            var recheck = new Round
            {
                Id = $"recheck-{now:yyyyMMddHHmmss}", Kind = target.Kind, AsOf = asOf, SampleFraction = 1, Seed = 0,
                Status = RoundStatus.Running, CreatedAt = now,
            };
            logger.LogInformation("Re-checking {Count} open findings of {TargetId} {Url}", open.Count, target.Id, target.Url);
            try
            {
                inspection = await inspector.InspectAsync(target, recheck, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Re-check of {TargetId} failed", targetId);
                failure = $"复查失败 re-check failed: {e.Message}";
            }
        }

        var outcomes = new List<RecheckOutcome>();
        foreach (var correction in open)
        {
            var (verdict, fresh, note) = inspection is null ? (RecheckVerdict.Undecided, null, failure!) : Judge(correction.Finding, target!, inspection);
            var state = await corrections.RecordRecheckAsync(correction.FindingId, verdict, fresh, note, ct, lookedAt);
            logger.LogInformation("Re-check of finding {FindingId} ({Check} {Subject}): {Verdict}, now {State}",
                correction.FindingId, correction.Finding.Check, correction.Finding.Subject, verdict, state);
            outcomes.Add(new RecheckOutcome(correction, verdict, state, note));
        }

        return outcomes;
    }

    /// <summary>Settles one finding against a fresh inspection of its target.</summary>
    public static (RecheckVerdict Verdict, Finding? Fresh, string Note) Judge(Finding finding, Target target, Inspection inspection)
    {
        if (inspection.Findings.FirstOrDefault(f => f.Check == finding.Check && f.Subject == finding.Subject) is { } fresh)
        {
            return (RecheckVerdict.StillThere, fresh, $"复查仍发现 still found: {fresh.Detail}");
        }

        // A check that could not decide this time (a throttled link, an unreadable stylesheet …) proves nothing.
        var undecided = inspection.Findings.FirstOrDefault(f => f.Check == "not-checked"
            && (f.Subject == finding.Subject || f.Detail.Contains(finding.Check + ":", StringComparison.Ordinal)));
        if (undecided is not null)
        {
            return (RecheckVerdict.Undecided, null, $"复查无法判断 could not decide: {undecided.Detail}");
        }

        var read = target.Kind == TargetKind.Account
            ? inspection.Activity?.State == nameof(FeedState.Ok)
            : inspection.Pages.Any(p => p.Url == finding.Url && p.State == nameof(FetchState.Ok));
        return read
            ? (RecheckVerdict.Gone, null, $"复查未再发现 not found again on {finding.Url}")
            : (RecheckVerdict.Undecided, null, $"复查未能读取 could not read {finding.Url}; nothing concluded");
    }
}
