using Hangfire;
using SiteWatch.Core.Model;
using SiteWatch.Scheduling.Corrections;
using SiteWatch.Storage;

namespace SiteWatch.Scheduling.Service;

/// <summary>The Hangfire job of a re-check: one target's open corrections. Safe to run twice (a second run re-checks again).</summary>
public sealed class RecheckJob(Rechecks rechecks)
{
    [AutomaticRetry(Attempts = 1)]
    public async Task RunAsync(string targetId, CancellationToken ct) => await rechecks.RecheckTargetAsync(targetId, ct);
}

/// <summary>Puts re-checks on the Hangfire queue: for a claim from the web pages, and for the daily re-check.</summary>
public sealed class HangfireRecheckQueue(IBackgroundJobClient jobs) : IRecheckQueue
{
    public void Enqueue(string targetId) => jobs.Enqueue<RecheckJob>(job => job.RunAsync(targetId, CancellationToken.None));
}

/// <summary>The daily re-check (a schedule with job <c>recheck</c>): every target with an open correction, one job each.</summary>
public sealed class DailyRechecks(CorrectionStore corrections, IRecheckQueue queue)
{
    public async Task<int> EnqueueAllAsync(CancellationToken ct)
    {
        var due = await corrections.TargetsWithOpenAsync(ct);
        foreach (var targetId in due)
        {
            queue.Enqueue(targetId);
        }

        return due.Count;
    }
}
