using Microsoft.Extensions.Logging;
using Quartz;
using SiteWatch.Core.Model;
using SiteWatch.Storage;

namespace SiteWatch.Scheduling.Service;

/// <summary>
/// What a schedule does when it fires, by its job — the one place a fire is dispatched: a round draws its targets and
/// puts them on the queue; the daily re-check queues a re-check of every target with open corrections; the
/// availability probes probe the websites that are due (<see cref="AvailabilityProbes.ProbeDueAsync"/>). While a round
/// of the same kind is still running its targets are already on the queue (put there by the fire that drew it, or at
/// start after a crash), so a round's fire leaves it alone: dispatching its unfinished targets again would inspect a
/// target that a worker is inspecting right now a second time.
/// </summary>
public sealed class ScheduledRounds(ScheduleStore schedules, RoundStore rounds, RoundRunner runner, RoundDispatch dispatch, DailyRechecks rechecks,
    AvailabilityProbes probes, TimeProvider time, ILogger<ScheduledRounds> logger)
{
    public async Task FireAsync(string scheduleId, CancellationToken ct)
    {
        if (await schedules.GetAsync(scheduleId, ct) is not { Enabled: true } schedule)
        {
            return;
        }

        var now = time.GetUtcNow();
        switch (schedule.Job)
        {
            case ScheduleJob.Recheck:
                var targets = await rechecks.EnqueueAllAsync(ct);
                logger.LogInformation("Schedule {ScheduleId}: re-checking the open findings of {Count} targets", schedule.Id, targets);
                break;
            case ScheduleJob.Probes:
                var probed = await probes.ProbeDueAsync(ct);
                logger.LogDebug("Schedule {ScheduleId}: probed {Count} websites", schedule.Id, probed);
                break;
            case ScheduleJob.WebsiteRound or ScheduleJob.AccountRound:
                await StartRoundAsync(schedule, now, ct);
                break;
            default:
                throw new InvalidOperationException($"schedule {schedule.Id}: no fire for job {schedule.Job}");
        }

        await schedules.MarkFiredAsync(schedule.Id, now, ct);
    }

    private async Task StartRoundAsync(Schedule schedule, DateTimeOffset now, CancellationToken ct)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(schedule.TimeZone);
        var kind = schedule.Job == ScheduleJob.AccountRound ? TargetKind.Account : TargetKind.Website;
        if (await rounds.LatestRunningAsync(kind, ct) is { } running)
        {
            logger.LogInformation("Schedule {ScheduleId}: round {RoundId} is still running; its targets are already queued", schedule.Id, running.Id);
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
    }
}

/// <summary>
/// The Quartz job of a schedule: a round or a re-check only enqueues (the work goes to Hangfire); a probe fire probes
/// its share of the websites in the job itself (one GET each, at most 15 s, eight at a time) — on purpose, against the
/// "Quartz jobs only enqueue" habit: an availability probe must happen when it is due, and during a round every Hangfire
/// worker may be crawling for minutes, which would bunch the probes up and lose some of the 20 a day. One fire of a
/// schedule at a time.
/// </summary>
[DisallowConcurrentExecution]
public sealed class ScheduleJobRunner(ScheduledRounds rounds) : IJob
{
    public const string ScheduleKey = "schedule";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct) =>
        await rounds.FireAsync(context.MergedJobDataMap.GetString(ScheduleKey)!, ct);
}
