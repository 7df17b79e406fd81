using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using SiteWatch.Core.Checks;

namespace SiteWatch.Scheduling;

public static class SchedulingServices
{
    /// <summary>The round runner and the target inspector with every registered check; the round reports (needs AddSiteWatchReports).</summary>
    public static IServiceCollection AddSiteWatchScheduling(this IServiceCollection services, IConfiguration configuration)
    {
        foreach (var check in ChecksRegistration.All)
        {
            services.AddSingleton(check);
        }

        services.AddSingleton<TargetInspector>();
        services.AddSingleton<RoundRunner>();
        services.AddSingleton<Corrections.Rechecks>();
        services.Configure<Service.ServiceOptions>(configuration.GetSection(Service.ServiceOptions.Section));
        services.AddSingleton<Service.AvailabilityProbes>();
        services.AddSingleton<RoundReports>();
        services.AddSingleton<Reports.IRoundReportSource>(sp => sp.GetRequiredService<RoundReports>());
        services.AddSingleton<AnnualReports>();
        services.AddSingleton<Reports.IAnnualReportSource>(sp => sp.GetRequiredService<AnnualReports>());
        services.AddSingleton<Reports.INoticeIssuer, Corrections.NoticeIssuer>();
        return services;
    }

    /// <summary>
    /// What <c>serve</c> adds: Quartz (schedules, in memory; the schedules themselves live in SiteWatch's database) and
    /// the Hangfire client side of dispatch. The caller adds Hangfire's storage and server (InMemory on one machine,
    /// PostgreSQL to scale out).
    /// </summary>
    public static IServiceCollection AddSiteWatchService(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddQuartz();
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = false);
        services.AddSingleton<Service.RoundDispatch>();
        services.AddSingleton<Service.ScheduledRounds>();
        services.AddTransient<Service.ScheduleJobRunner>();
        services.AddTransient<Service.TargetJob>();
        services.AddTransient<Service.RecheckJob>();
        services.AddSingleton<SiteWatch.Core.Model.IRecheckQueue, Service.HangfireRecheckQueue>();
        services.AddSingleton<Service.DailyRechecks>();
        services.AddSingleton<Core.Ports.IScheduleChanges, Service.QuartzScheduleChanges>();
        services.AddHostedService<Service.ServiceStartup>();
        return services;
    }
}
