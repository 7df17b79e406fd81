using Quartz;
using SiteWatch.Core.Model;
using SiteWatch.Core.Ports;

namespace SiteWatch.Scheduling.Service;

/// <summary>
/// The one way a schedule becomes a Quartz job and trigger: identity = the schedule's id, its cron read in its time
/// zone, and a misfire does nothing (a fire missed while the service was down is made up once at start by
/// <see cref="MissedFires"/>, never by Quartz). Used at start and when a schedule is edited in the UI.
/// </summary>
public static class ScheduleTriggers
{
    public static (IJobDetail Job, ITrigger Trigger) Build(Schedule schedule)
    {
        var cron = MissedFires.Parse(schedule);
        var job = JobBuilder.Create<ScheduleJobRunner>().WithIdentity(schedule.Id).UsingJobData(ScheduleJobRunner.ScheduleKey, schedule.Id).Build();
        var trigger = TriggerBuilder.Create().WithIdentity(schedule.Id)
            .WithCronSchedule(schedule.Cron, c => c.InTimeZone(cron.TimeZone).WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing))
            .Build();
        return (job, trigger);
    }

    /// <summary>Puts an enabled schedule's job and trigger into the scheduler, replacing any earlier ones; returns the job.</summary>
    public static async Task<IJobDetail> ScheduleAsync(IScheduler scheduler, Schedule schedule, CancellationToken ct)
    {
        var (job, trigger) = Build(schedule);
        await scheduler.ScheduleJob(job, [trigger], ScheduleJobOptions.Replacing, ct);
        return job;
    }
}

/// <summary>A schedule edited in the UI takes effect in the running scheduler: rescheduled, or removed when disabled.</summary>
public sealed class QuartzScheduleChanges(ISchedulerFactory schedulers) : IScheduleChanges
{
    public async Task ApplyAsync(Schedule schedule, CancellationToken ct)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        if (!schedule.Enabled)
        {
            await scheduler.DeleteJob(new JobKey(schedule.Id), ct);
            return;
        }

        await ScheduleTriggers.ScheduleAsync(scheduler, schedule, ct);
    }
}
