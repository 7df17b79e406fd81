using Hangfire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SiteWatch.Scheduling;
using SiteWatch.Scheduling.Service;
using SiteWatch.Storage;
using SiteWatch.Web;

namespace SiteWatch.Cli.Commands;

/// <summary>
/// <c>sitewatch serve</c>: one process with the web pages, the Quartz scheduler (schedules from SiteWatch's database)
/// and a Hangfire server (in memory by default: the durable truth — rounds, per-target progress, findings — is
/// SiteWatch's own database, so a lost queue is rebuilt from it at start; <c>Service:JobStorage=postgresql</c> keeps the
/// queue in PostgreSQL instead, see <see cref="HangfireStorage"/>).
/// </summary>
public static class ServeCommandHandler
{
    public static async Task<int> RunAsync(GlobalOptions globals, string? urls, CancellationToken ct)
    {
        await using var app = await BuildAsync(globals, urls, ct);
        await app.StartAsync(ct);
        await Microsoft.Extensions.Hosting.HostingAbstractionsHostExtensions.WaitForShutdownAsync(app, ct);
        return 0;
    }

    /// <summary>The configured web host, database migrated and rules read (a bad rule file stops it here); not started.</summary>
    public static async Task<WebApplication> BuildAsync(GlobalOptions globals, string? urls, CancellationToken ct)
    {
        var configuration = AppHost.BuildConfiguration(globals);
        var service = configuration.GetSection(ServiceOptions.Section).Get<ServiceOptions>() ?? new ServiceOptions();
        var jobStorage = HangfireStorage.FromConfiguration(service, configuration);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = Directory.GetCurrentDirectory() });
        builder.Configuration.AddConfiguration(configuration);
        AppHost.AddServices(builder.Services, configuration, globals.Verbose);
        builder.Services.AddSiteWatchService(configuration);
        builder.Services.AddSiteWatchWeb();

        // The keys that protect login cookies and anti-forgery tokens live beside the database: they survive a restart
        // (nobody is logged out, no open form goes stale) and one installation never shares them with another.
        var database = Path.GetFullPath(configuration["Storage:Database"] ?? "data/sitewatch.db");
        builder.Services.AddDataProtection().SetApplicationName("SiteWatch")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(Path.GetDirectoryName(database)!, "keys")));
        builder.Services.AddHangfire(c => jobStorage.Apply(c.UseSimpleAssemblyNameTypeSerializer().UseRecommendedSerializerSettings()));
        builder.Services.AddHangfireServer(o => o.WorkerCount = Math.Max(1, service.Workers));
        builder.WebHost.UseUrls(urls ?? service.Urls);

        var app = builder.Build();
        try
        {
            app.Services.GetRequiredService<Core.Rules.RuleSet>();
            await app.Services.GetRequiredService<Migrator>().MigrateAsync(ct);
            await jobStorage.OpenAsync(app.Services, ct);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var requests = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("SiteWatch.Requests");
        app.Use(async (context, next) =>
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            await next(context);
            requests.LogInformation("{Method} {Path} answered {Status} in {ElapsedMs} ms", context.Request.Method, context.Request.Path.Value,
                context.Response.StatusCode, (long)System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        });
        app.MapSiteWatchWeb();
        return app;
    }
}
