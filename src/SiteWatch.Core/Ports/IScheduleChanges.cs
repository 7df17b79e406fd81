using SiteWatch.Core.Model;

namespace SiteWatch.Core.Ports;

/// <summary>
/// Port: tells the running scheduler that a schedule was saved, so the change counts without a restart. Implemented by
/// the service's Quartz scheduler (SiteWatch.Scheduling); the web pages save through ScheduleStore and then call this.
/// </summary>
public interface IScheduleChanges
{
    /// <summary>Replaces the schedule's trigger with one for its (new) cron and time zone; removes it when disabled.</summary>
    Task ApplyAsync(Schedule schedule, CancellationToken ct);
}
