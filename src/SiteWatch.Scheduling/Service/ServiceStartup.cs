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
            var cron = MissedFires.Parse(schedule);
            if (!schedule.Enabled)
            {
                continue;
            }

            var job = JobBuilder.Create<ScheduleJobRunner>().WithIdentity(schedule.Id).UsingJobData(ScheduleJobRunner.ScheduleKey, schedule.Id).Build();
            var trigger = TriggerBuilder.Create().WithIdentity(schedule.Id)
                .WithCronSchedule(schedule.Cron, c => c.InTimeZone(cron.TimeZone).WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing))
                .Build();
            await scheduler.ScheduleJob(job, [trigger], ScheduleJobOptions.Replacing, ct);
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
}
