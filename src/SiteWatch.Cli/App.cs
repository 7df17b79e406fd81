using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SiteWatch.Storage;

namespace SiteWatch.Cli;

/// <summary>A started SiteWatch: configuration read, services built, database migrated.</summary>
public sealed class App : IAsyncDisposable
{
    private App(GlobalOptions globals, IConfiguration configuration, ServiceProvider services)
    {
        Globals = globals;
        Configuration = configuration;
        Services = services;
    }

    public GlobalOptions Globals { get; }
    public IConfiguration Configuration { get; }
    public ServiceProvider Services { get; }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>The monitoring time point: --as-of, else now in the machine's time zone.</summary>
    public DateTimeOffset AsOf
    {
        get
        {
            if (Globals.AsOf is { } asOf)
            {
                return asOf;
            }

            var time = Get<TimeProvider>();
            var now = time.GetUtcNow();
            return now.ToOffset(time.LocalTimeZone.GetUtcOffset(now));
        }
    }

    public static async Task<App> StartAsync(GlobalOptions globals, CancellationToken ct)
    {
        var configuration = AppHost.BuildConfiguration(globals);
        var services = AppHost.BuildServices(configuration, globals.Verbose);
        try
        {
            // Read the rules now: a bad rule file is a start-up error naming file and line, not a failure mid-round.
            services.GetRequiredService<Core.Rules.RuleSet>();
            await services.GetRequiredService<Migrator>().MigrateAsync(ct);
            return new App(globals, configuration, services);
        }
        catch
        {
            await services.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync() => await Services.DisposeAsync();
}
