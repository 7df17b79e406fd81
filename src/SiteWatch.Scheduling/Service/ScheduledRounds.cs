using Microsoft.Extensions.Logging;
using Quartz;
using SiteWatch.Core.Model;
using SiteWatch.Storage;

namespace SiteWatch.Scheduling.Service;

/// <summary>
/// What a schedule does when it fires: draw the round and dispatch its targets (or, for the daily re-check, queue a
/// re-check of every target with open corrections). While a round of the same kind is
/// still running its targets are already on the queue (put there by the fire that drew it, or at start after a crash),
/// so a fire leaves it alone: dispatching its unfinished targets again would inspect a target that a worker is
/// inspecting right now a second time.
/// </summary>
public sealed class ScheduledRounds(ScheduleStore schedules, RoundStore rounds, RoundRunner runner, RoundDispatch dispatch, DailyRechecks rechecks,
    TimeProvider time, ILogger<ScheduledRounds> logger)
{
    public async Task FireAsync(string scheduleId, CancellationToken ct)
    {
        if (await schedules.GetAsync(scheduleId, ct) is not { Enabled: true } schedule)
        {
            return;
        }

        var now = time.GetUtcNow();
        if (schedule.Job == ScheduleJob.Recheck)
        {
            var targets = await rechecks.EnqueueAllAsync(ct);
            logger.LogInformation("Schedule {ScheduleId}: re-checking the open findings of {Count} targets", schedule.Id, targets);
            await schedules.MarkFiredAsync(schedule.Id, now, ct);
            return;
        }

        var zone = TimeZoneInfo.FindSystemTimeZoneById(schedule.TimeZone);
        var kind = schedule.Job == ScheduleJob.AccountRound ? TargetKind.Account : TargetKind.Website;
        if (await rounds.LatestRunningAsync(kind, ct) is { } running)
        {
            logger.LogInformation("Schedule {ScheduleId}: round {RoundId} is still running; its targets are already queued", schedule.Id, running.Id);
            await schedules.MarkFiredAsync(schedule.Id, now, ct);
            return;
        }

        try
        {
            var round = await runner.PrepareAsync(new RoundRequest
            {
                Kind = kind,
                AsOf = now.ToOffset(zone.GetUtcOffset(now)),
                SampleFraction = schedule.SampleFraction,
                Seed = (int)(now.ToUnixTimeSeconds() % int.MaxValue),
            }, ct);
            await dispatch.DispatchAsync(round, ct);
            logger.LogInformation("Schedule {ScheduleId} started round {RoundId}", schedule.Id, round.Id);
        }
        catch (RoundException e)
        {
            logger.LogWarning("Schedule {ScheduleId} could not start a round: {Reason}", schedule.Id, e.Message);
        }

        await schedules.MarkFiredAsync(schedule.Id, now, ct);
    }
}

/// <summary>The Quartz job of a schedule: only starts the round (the work goes to Hangfire).</summary>
[DisallowConcurrentExecution]
public sealed class ScheduleJobRunner(ScheduledRounds rounds) : IJob
{
    public const string ScheduleKey = "schedule";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct) =>
        await rounds.FireAsync(context.MergedJobDataMap.GetString(ScheduleKey)!, ct);
}
