using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;
using SiteWatch.Core.Model;
using SiteWatch.Storage;

namespace SiteWatch.Scheduling.Service;

/// <summary>
/// At start: write the configured schedules on first run (and the availability-probes schedule from
/// <c>Service:ProbeCron</c> when the database has none), load every schedule into Quartz, fire once each schedule
/// that missed a fire while the service was down, and put the unfinished targets of running rounds back on the queue
/// (a crash loses only jobs in flight, which run again; targets already done are never inspected again).
/// </summary>
public sealed class ServiceStartup(
    ScheduleStore schedules,
    RoundStore rounds,
    RoundDispatch dispatch,
    ISchedulerFactory schedulers,
    IOptions<ServiceOptions> options,
    TimeProvider time,
    ILogger<ServiceStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var existing = await schedules.ListAsync(ct);
        foreach (var setting in options.Value.Schedules.Where(s => existing.All(e => e.Id != s.Id)))
        {
            await schedules.SaveAsync(new Schedule
            {
                Id = setting.Id, Name = setting.Name, Job = ScheduleStore.ParseJob(setting.Job), Cron = setting.Cron,
                TimeZone = setting.TimeZone, SampleFraction = setting.SampleFraction, Enabled = setting.Enabled, CreatedAt = now,
            }, ct);
        }

        if (await schedules.GetAsync(AvailabilityProbes.ScheduleId, ct) is null)
        {
            await schedules.SaveAsync(ProbeSchedule(options.Value.ProbeCron, now), ct);
        }

        var scheduler = await schedulers.GetScheduler(ct);
        foreach (var schedule in await schedules.ListAsync(ct))
        {
            // A bad cron or time zone stops the start, naming the schedule, even when the schedule is disabled.
            _ = MissedFires.Parse(schedule);
            if (!schedule.Enabled)
            {
                continue;
            }

            var job = await ScheduleTriggers.ScheduleAsync(scheduler, schedule, ct);
            if (MissedFires.IsDue(schedule, now))
            {
                logger.LogInformation("Schedule {ScheduleId} missed a fire while the service was down; firing it once now", schedule.Id);
                await scheduler.TriggerJob(job.Key, new JobDataMap(), ct);
            }
        }

        foreach (var kind in new[] { TargetKind.Website, TargetKind.Account })
        {
            if (await rounds.LatestRunningAsync(kind, ct) is { } running)
            {
                logger.LogInformation("Resuming round {RoundId}", running.Id);
                await dispatch.DispatchAsync(running, ct);
            }
        }
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    /// <summary>
    /// The availability-probes schedule as first written: <c>Service:ProbeCron</c> in Asia/Shanghai, or, when that is
    /// empty, the default cron disabled (no probes until enabled on /schedules).
    /// </summary>
    public static Schedule ProbeSchedule(string? probeCron, DateTimeOffset now) => new()
    {
        Id = AvailabilityProbes.ScheduleId,
        Name = "可用性监测",
        Job = ScheduleJob.Probes,
        Cron = string.IsNullOrWhiteSpace(probeCron) ? ServiceOptions.DefaultProbeCron : probeCron.Trim(),
        TimeZone = "Asia/Shanghai",
        Enabled = !string.IsNullOrWhiteSpace(probeCron),
        CreatedAt = now,
    };
}
