using Hangfire;
using Microsoft.Extensions.Logging;
using SiteWatch.Core.Model;
using SiteWatch.Storage;

namespace SiteWatch.Scheduling.Service;

/// <summary>
/// Puts a round's unfinished targets on the Hangfire queue, one job per target (ids only). The durable truth is
/// SiteWatch's round_targets table: a queue lost in a crash is rebuilt from it at start.
/// </summary>
public sealed class RoundDispatch(RoundStore rounds, IBackgroundJobClient jobs, ILogger<RoundDispatch> logger)
{
    public async Task<int> DispatchAsync(Round round, CancellationToken ct)
    {
        var open = (await rounds.TargetsAsync(round.Id, ct)).Where(t => t.Status != RoundTargetStatus.Done).ToList();
        foreach (var target in open)
        {
            jobs.Enqueue<TargetJob>(job => job.RunAsync(round.Id, target.TargetId, 0, CancellationToken.None));
        }

        logger.LogInformation("Dispatched {Count} targets of round {RoundId}", open.Count, round.Id);
        return open.Count;
    }
}

/// <summary>
/// The Hangfire job: inspect one target of one round. Runs at least once, so it is reentrant: a target already done
/// is skipped, and results replace earlier ones of the same (round, target).
/// </summary>
public sealed class TargetJob(RoundRunner runner, RoundStore rounds, IBackgroundJobClient jobs, ILogger<TargetJob> logger)
{
    [AutomaticRetry(Attempts = 2)]
    public async Task RunAsync(string roundId, string targetId, int attempt, CancellationToken ct)
    {
        var round = await rounds.GetAsync(roundId, ct);
        var state = (await rounds.TargetsAsync(roundId, ct)).FirstOrDefault(t => t.TargetId == targetId);
        if (round is null || state is null || state.Status == RoundTargetStatus.Done)
        {
            return;
        }

        var retryLater = await runner.InspectTargetAsync(round, targetId, attempt, ct);
        if (retryLater is { } delay)
        {
            logger.LogInformation("Throttled on {TargetId}; trying again in {Delay}", targetId, delay);
            jobs.Schedule<TargetJob>(job => job.RunAsync(roundId, targetId, attempt + 1, CancellationToken.None), delay);
            return;
        }

        await rounds.TryCompleteAsync(roundId, null, ct);
    }
}
