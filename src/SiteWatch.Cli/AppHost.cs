using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;
using SiteWatch.Crawling;
using SiteWatch.Reports;
using SiteWatch.Rules;
using SiteWatch.Scheduling;
using SiteWatch.Storage;

namespace SiteWatch.Cli;

/// <summary>Options every command takes (contract.md §1).</summary>
public sealed record GlobalOptions(string? Db, string? Config, string? Rules, DateTimeOffset? AsOf, bool Verbose)
{
    /// <summary>Configuration set by the program itself (the demo's loopback mapping), layered last.</summary>
    public IReadOnlyDictionary<string, string?> Overrides { get; init; } = new Dictionary<string, string?>();
}

/// <summary>Composition: configuration, Serilog and the services of every library. Only composes.</summary>
public static class AppHost
{
    public static IConfiguration BuildConfiguration(GlobalOptions options)
    {
        var builder = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddJsonFile(Path.GetFullPath("appsettings.json"), optional: true);
        if (options.Config is { } file)
        {
            if (!File.Exists(file))
            {
                throw new CliException($"config file {file} not found");
            }

            builder.AddJsonFile(Path.GetFullPath(file), optional: false);
        }

        builder.AddEnvironmentVariables();
        var cli = new Dictionary<string, string?>(options.Overrides);
        if (options.Db is { } db)
        {
            cli["Storage:Database"] = db;
        }

        cli["Rules:Directory"] = options.Rules ?? ResolveRulesDirectory();
        return builder.AddInMemoryCollection(cli).Build();
    }

    public static ServiceProvider BuildServices(IConfiguration configuration, bool verbose)
    {
        var services = new ServiceCollection();
        AddServices(services, configuration, verbose);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    /// <summary>Serilog and every library's services, for the CLI's provider and for <c>serve</c>'s web host alike.</summary>
    public static void AddServices(IServiceCollection services, IConfiguration configuration, bool verbose)
    {
        var logFolder = configuration["Logging:Folder"] ?? "data/logs";
        Log.Logger = new LoggerConfiguration()
            .MinimumLevel.Is(verbose ? LogEventLevel.Debug : LogEventLevel.Information)
            .MinimumLevel.Override("System.Net.Http", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Quartz", LogEventLevel.Warning)
            .MinimumLevel.Override("Hangfire", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .WriteTo.Console(
                restrictedToMinimumLevel: verbose ? LogEventLevel.Debug : LogEventLevel.Warning,
                standardErrorFromLevel: LogEventLevel.Verbose,
                outputTemplate: "{Timestamp:HH:mm:ss} {Level:u3} {Message:lj}{NewLine}{Exception}")
            .WriteTo.File(
                Path.Combine(logFolder, "sitewatch-.log"),
                rollingInterval: RollingInterval.Day,
                retainedFileCountLimit: 30,
                outputTemplate: "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} [{Level:u3}] {SourceContext} {Message:lj} {Properties:j}{NewLine}{Exception}")
            .CreateLogger();

        services.AddLogging(logging => logging.ClearProviders().AddSerilog(dispose: false));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(configuration);
        services.AddSiteWatchRules(configuration);
        services.AddSiteWatchStorage(configuration);
        services.AddSiteWatchCrawling(configuration);
        services.AddSiteWatchReports(configuration);
        services.AddSiteWatchScheduling(configuration);
    }

    /// <summary>crawler-rules/ in the working folder, else beside the executable (a published or Docker install).</summary>
    private static string ResolveRulesDirectory()
    {
        var here = Path.GetFullPath("crawler-rules");
        var installed = Path.Combine(AppContext.BaseDirectory, "crawler-rules");
        return Directory.Exists(here) || !Directory.Exists(installed) ? here : installed;
    }
}

/// <summary>A failure to show as one line on stderr with exit code 1.</summary>
public sealed class CliException(string message) : Exception(message);
