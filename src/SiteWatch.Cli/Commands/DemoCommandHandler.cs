using SiteWatch.Cli.Demo;
using SiteWatch.Core.Model;
using SiteWatch.Scheduling;
using SiteWatch.Storage;

namespace SiteWatch.Cli.Commands;

/// <summary>
/// <c>sitewatch demo</c>: serves the sample province of seeds/demo on loopback, imports it into a fresh
/// data/demo.db, runs a full round through the same runner as <c>inspect</c>, and prints the findings.
/// </summary>
public static class DemoCommandHandler
{
    public static async Task<int> RunAsync(GlobalOptions globals, CancellationToken ct)
    {
        var folder = FindDemoFolder();
        if (folder is null)
        {
            await Console.Error.WriteLineAsync("sitewatch: seeds/demo not found; run the demo from the repository folder");
            return 1;
        }

        var province = DemoProvince.Load(folder);
        await using var server = await province.StartAsync(ct);
        var db = globals.Db ?? Path.Combine("data", "demo.db");
        foreach (var file in new[] { db, db + "-wal", db + "-shm" })
        {
            if (File.Exists(file))
            {
                File.Delete(file);
            }
        }

        var overrides = new Dictionary<string, string?> { ["Network:AllowPrivateAddresses"] = "true" };
        foreach (var (host, endPoint) in server.ConnectTo)
        {
            overrides[$"Network:ConnectTo:{host}"] = endPoint;
        }

        foreach (var site in province.All.Where(s => s.Address is not null))
        {
            overrides[$"Network:DnsOverrides:{site.Host}"] = site.Address;
        }

        return await SiteWatchCommandLine.RunWith(globals with { Db = db, Overrides = overrides }, async (app, token) =>
        {
            // The country database opens here, before anything is imported: a missing one is a one-line error.
            var runner = app.Get<RoundRunner>();
            var targets = province.Sites.Select(s => new Target
            {
                Id = s.SiteCode,
                Kind = TargetKind.Website,
                Name = s.Name,
                Url = s.HomeUrl,
                Organization = s.Organization,
                Region = s.Region,
                Level = s.Level,
                SiteCode = s.SiteCode,
            }).ToList();
            var (added, _) = await app.Get<TargetStore>().UpsertAsync(targets, dryRun: false, token);
            await Console.Error.WriteLineAsync($"demo: serving {province.Sites.Count} sites of the sample province on 127.0.0.1:{server.Port}; imported {added} targets into {db}");

            var round = await runner.PrepareAsync(new RoundRequest { All = true, AsOf = app.Globals.AsOf ?? province.AsOf ?? app.AsOf, Seed = 1 }, token);
            using (var line = new ProgressLine(Console.Error))
            {
                await runner.RunAsync(round, line, token);
            }

            await FindingsCommandHandler.RunAsync(app, round.Id, "table", Console.Out, token);

            // The reports beside the demo database's folder (reports/ for the default data/demo.db).
            var reports = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(db))!, "..", "reports");
            var (_, _, written) = await app.Get<RoundReports>().WriteAsync(round.Id, Path.GetFullPath(reports), token);
            await Console.Out.WriteLineAsync($"""

                Database: {Path.GetFullPath(db)}
                Notification (通报): {written.Notification}
                Correction notices (整改通知): {written.Notices.Count} in {Path.GetDirectoryName(written.Notices.FirstOrDefault() ?? written.Notification)}
                Next: dotnet run --project src/SiteWatch.Cli -- findings --db {db} --format jsonl
                """);
            return 0;
        }, ct);
    }

    private static string? FindDemoFolder()
    {
        foreach (var root in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            var candidate = Path.Combine(root, "seeds", "demo");
            if (File.Exists(Path.Combine(candidate, "province.yaml")))
            {
                return candidate;
            }
        }

        return null;
    }
}
