using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using SiteWatch.TestKit;

namespace SiteWatch.Cli.Tests;

/// <summary>A round survives a real kill of the process: the rerun finishes it, redoes nothing, loses nothing.</summary>
public sealed class InspectResumeTests
{
    private const int Sites = 5;

    [Fact]
    public async Task Inspect_FinishesTheRoundWithoutRedoingTargets_WhenRunAgainAfterAKill()
    {
        using var folder = new TempFolder();
        var sites = new List<FakeSite>();
        try
        {
            for (var i = 0; i < Sites; i++)
            {
                var n = i;
                sites.Add(await FakeSite.StartAsync(s => s
                    .Page("/", $"<html><head><title>第{n}县人民政府</title></head><body><a href=\"/slow.html\">统计</a><a href=\"/gone-{n}.html\">已删除</a></body></html>")
                    .Slow("/slow.html", TimeSpan.FromSeconds(2))));
            }

            var config = new Dictionary<string, object>
            {
                ["Network"] = new Dictionary<string, object>
                {
                    ["AllowPrivateAddresses"] = true,
                    ["ConnectTo"] = Enumerable.Range(0, Sites).ToDictionary(i => $"www.county{i}.gov.cn", i => sites[i].EndPoint),
                    ["DnsOverrides"] = Enumerable.Range(0, Sites).ToDictionary(i => $"www.county{i}.gov.cn", _ => TestGeo.China),
                },
                ["Geo"] = new Dictionary<string, object> { ["CountryDatabase"] = TestGeo.WriteDatabase(folder.File("country.mmdb")) },
                ["Crawler"] = new Dictionary<string, object> { ["ParallelTargets"] = 1 },
                ["Logging"] = new Dictionary<string, object> { ["Folder"] = folder.File("logs") },
            };
            File.WriteAllText(folder.File("config.json"), JsonSerializer.Serialize(config));
            File.WriteAllLines(folder.File("targets.csv"),
            [
                "id,kind,name,url,organization,region,site_code",
                .. Enumerable.Range(0, Sites).Select(i => $"43000000{i:00},website,第{i}县人民政府,http://www.county{i}.gov.cn/,第{i}县人民政府办公室,第{i}县,43000000{i:00}"),
            ]);
            string[] common = ["--db", folder.File("sw.db"), "--config", folder.File("config.json"), "--rules", RepoPaths.Rules];
            var import = await CliProcess.RunAsync(folder.Path, ["targets", "import", folder.File("targets.csv"), .. common]);
            Assert.True(import.ExitCode == 0, import.Stderr);

            string[] inspect = ["inspect", "--all", "--round", "2026Q4", "--as-of", "2026-11-20T10:00:00+08:00", .. common];
            using (var first = CliProcess.Start(folder.Path, inspect))
            {
                await WaitForDoneAsync(folder.File("sw.db"), atLeast: 2, first);
                first.Kill(entireProcessTree: true);
                await first.WaitForExitAsync();
            }

            var doneBefore = await DoneTargetsAsync(folder.File("sw.db"));
            Assert.InRange(doneBefore.Count, 2, Sites - 1);
            var findingsBefore = await FindingKeysAsync(folder.File("sw.db"));

            var second = await CliProcess.RunAsync(folder.Path, inspect);

            Assert.True(second.ExitCode == 0, second.Stderr);
            Assert.Contains("round 2026Q4 complete", second.Stderr);
            Assert.Equal(Sites, (await DoneTargetsAsync(folder.File("sw.db"))).Count);
            var findingsAfter = await FindingKeysAsync(folder.File("sw.db"));
            Assert.Superset(findingsBefore.ToHashSet(), findingsAfter.ToHashSet());
            Assert.Equal(Sites, findingsAfter.Count);
            for (var i = 0; i < Sites; i++)
            {
                var homeFetches = sites[i].CountOf("GET /");
                var id = $"43000000{i:00}";
                Assert.True(doneBefore.Contains(id) ? homeFetches == 1 : homeFetches >= 1, $"{id} fetched its home page {homeFetches} times");
            }

            var findings = await CliProcess.RunAsync(folder.Path, ["findings", "--round", "2026Q4", "--format", "jsonl", .. common]);
            Assert.Equal(Sites, findings.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.Contains("\"check\":\"dead-link\"", StringComparison.Ordinal)));
        }
        finally
        {
            foreach (var site in sites)
            {
                await site.DisposeAsync();
            }

            SqliteConnection.ClearAllPools();
        }
    }

    private static async Task WaitForDoneAsync(string db, int atLeast, System.Diagnostics.Process process)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(2) && !process.HasExited)
        {
            if (File.Exists(db) && (await DoneTargetsAsync(db)).Count >= atLeast)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"the first run did not finish {atLeast} targets: {await process.StandardError.ReadToEndAsync()}");
    }

    private static async Task<List<string>> DoneTargetsAsync(string db)
    {
        try
        {
            await using var c = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
            await c.OpenAsync();
            return (await c.QueryAsync<string>("SELECT target_id FROM round_targets WHERE status = 'done'")).ToList();
        }
        catch (SqliteException)
        {
            return []; // not created yet
        }
    }

    private static async Task<List<string>> FindingKeysAsync(string db)
    {
        await using var c = new SqliteConnection($"Data Source={db};Pooling=False");
        await c.OpenAsync();
        return (await c.QueryAsync<string>("SELECT target_id || ' ' || check_code || ' ' || subject FROM findings WHERE check_code = 'dead-link'")).ToList();
    }
}
