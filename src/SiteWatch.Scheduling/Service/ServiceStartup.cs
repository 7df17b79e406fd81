using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;
using SiteWatch.Core.Model;
using SiteWatch.Storage;

namespace SiteWatch.Scheduling.Service;

/// <summary>
/// At start: write the configured schedules on first run, load every schedule into Quartz, fire once each schedule
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

        if (!string.IsNullOrWhiteSpace(options.Value.ProbeCron))
        {
            var probeJob = JobBuilder.Create<ProbeJob>().WithIdentity(ProbeJob.Key).Build();
            var probeTrigger = TriggerBuilder.Create().WithIdentity(ProbeJob.Key)
                .WithCronSchedule(options.Value.ProbeCron, c => c.WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing)).Build();
            await scheduler.ScheduleJob(probeJob, [probeTrigger], ScheduleJobOptions.Replacing, ct);
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
}
