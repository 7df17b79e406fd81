using Microsoft.Extensions.Logging;
using Quartz;
using SiteWatch.Core.Model;
using SiteWatch.Storage;

namespace SiteWatch.Scheduling.Service;

/// <summary>What a schedule does when it fires: draw (or resume) the round and dispatch its targets.</summary>
public sealed class ScheduledRounds(ScheduleStore schedules, RoundRunner runner, RoundDispatch dispatch, TimeProvider time, ILogger<ScheduledRounds> logger)
{
    public async Task FireAsync(string scheduleId, CancellationToken ct)
    {
        if (await schedules.GetAsync(scheduleId, ct) is not { Enabled: true } schedule)
        {
            return;
        }

        var now = time.GetUtcNow();
        var zone = TimeZoneInfo.FindSystemTimeZoneById(schedule.TimeZone);
        var kind = schedule.Job == ScheduleJob.AccountRound ? TargetKind.Account : TargetKind.Website;
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
