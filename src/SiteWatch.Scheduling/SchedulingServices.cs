using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SiteWatch.Core.Checks;

namespace SiteWatch.Scheduling;

public static class SchedulingServices
{
    /// <summary>The round runner and the target inspector with every registered check.</summary>
    public static IServiceCollection AddSiteWatchScheduling(this IServiceCollection services, IConfiguration configuration)
    {
        foreach (var check in ChecksRegistration.All)
        {
            services.AddSingleton(check);
        }

        services.AddSingleton<TargetInspector>();
        services.AddSingleton<RoundRunner>();
        var rulesDirectory = configuration["Rules:Directory"] ?? "crawler-rules";
        services.AddSingleton(sp => new RoundReports(sp.GetRequiredService<Storage.RoundStore>(), sp.GetRequiredService<Storage.TargetStore>(),
            sp.GetRequiredService<Storage.FindingStore>(), rulesDirectory, sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
