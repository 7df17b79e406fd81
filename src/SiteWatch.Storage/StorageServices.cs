using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace SiteWatch.Storage;

public static class StorageServices
{
    /// <summary>The SQLite database named by <c>Storage:Database</c> and its stores.</summary>
    public static IServiceCollection AddSiteWatchStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<StorageOptions>(configuration.GetSection(StorageOptions.Section));
        services.AddSingleton(sp => new Database(sp.GetRequiredService<IOptions<StorageOptions>>().Value.Database));
        services.AddSingleton<Migrator>();
        services.AddSingleton<TargetStore>();
        services.AddSingleton<RoundStore>();
        services.AddSingleton<FindingStore>();
        services.AddSingleton<ScheduleStore>();
        services.AddSingleton<ProbeStore>();
        services.AddSingleton<UserStore>();
        services.AddSingleton<CorrectionStore>();
        return services;
    }
}
