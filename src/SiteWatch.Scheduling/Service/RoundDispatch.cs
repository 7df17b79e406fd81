using Hangfire;
using Microsoft.Extensions.Logging;
using SiteWatch.Core.Model;
using SiteWatch.Storage;

namespace SiteWatch.Scheduling.Service;

/// <summary>
/// Puts a round's unfinished targets on the Hangfire queue, one job per target (ids only). The durable truth is
/// SiteWatch's round_targets table: a queue lost in a crash is rebuilt from it at start. A target whose job is still
/// waiting in Hangfire's storage (enqueued, or scheduled to try again) is left alone: with a durable storage
/// (<c>Service:JobStorage=postgresql</c>) the jobs queued before a restart are still there and will run, and queueing
/// their targets again would inspect them twice, perhaps at once. (In memory the storage starts empty.)
/// </summary>
public sealed class RoundDispatch(RoundStore rounds, IBackgroundJobClient jobs, JobStorage storage, ILogger<RoundDispatch> logger)
{
    private const int PageSize = 500;

    public async Task<int> DispatchAsync(Round round, CancellationToken ct)
    {
        var waiting = WaitingTargets(round.Id);
        var open = (await rounds.TargetsAsync(round.Id, ct)).Where(t => t.Status != RoundTargetStatus.Done && !waiting.Contains(t.TargetId)).ToList();
        foreach (var target in open)
        {
            jobs.Enqueue<TargetJob>(job => job.RunAsync(round.Id, target.TargetId, 0, CancellationToken.None));
        }

        logger.LogInformation("Dispatched {Count} targets of round {RoundId}; {Waiting} already waiting in the job storage", open.Count, round.Id, waiting.Count);
        return open.Count;
    }

    /// <summary>The targets of a round with a TargetJob enqueued or scheduled in Hangfire's storage.</summary>
    private HashSet<string> WaitingTargets(string roundId)
    {
        var monitor = storage.GetMonitoringApi();
        var waiting = monitor.Queues()
            .SelectMany(q => Pages(from => monitor.EnqueuedJobs(q.Name, from, PageSize).Select(j => j.Value?.Job).ToList()))
            .Concat(Pages(from => monitor.ScheduledJobs(from, PageSize).Select(j => j.Value?.Job).ToList()));
        return waiting
            .Where(job => job?.Type == typeof(TargetJob) && job.Args.Count >= 2 && job.Args[0] as string == roundId)
            .Select(job => (string)job!.Args[1])
            .ToHashSet(StringComparer.Ordinal);
    }

    private static IEnumerable<Hangfire.Common.Job?> Pages(Func<int, List<Hangfire.Common.Job?>> page)
    {
        for (var from = 0; ; from += PageSize)
        {
            var jobs = page(from);
            foreach (var job in jobs)
            {
                yield return job;
            }

            if (jobs.Count < PageSize)
            {
                yield break;
            }
        }
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
