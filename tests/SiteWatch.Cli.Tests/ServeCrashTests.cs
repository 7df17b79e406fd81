using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using SiteWatch.Core.Model;
using SiteWatch.Storage;
using SiteWatch.TestKit;
using Xunit.Abstractions;

namespace SiteWatch.Cli.Tests;

/// <summary>
/// `serve` as a real child process, killed (-9) in the middle of a scheduled round and started again on the same
/// database: the restart finishes the round, inspects no finished target again and every unfinished one once, leaves
/// one result per target, and the schedule (every 2 s) never opens a second round while the first is unfinished.
/// </summary>
public sealed partial class ServeCrashTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Sites = 6;

    private readonly TempFolder folder = new();
    private readonly List<FakeSite> sites = [];
    private readonly List<ConcurrentQueue<DateTimeOffset>> homeGets = [];
    private readonly List<ServeProcess> processes = [];

    public async Task InitializeAsync()
    {
        for (var i = 0; i < Sites; i++)
        {
            var n = i;
            var gets = new ConcurrentQueue<DateTimeOffset>();
            homeGets.Add(gets);
            sites.Add(await FakeSite.StartAsync(s => s
                .Handle("/", async c =>
                {
                    if (c.Request.Method == "GET")
                    {
                        gets.Enqueue(TimeProvider.System.GetUtcNow());
                    }

                    c.Response.ContentType = "text/html; charset=utf-8";
                    await c.Response.WriteAsync($"<html><head><title>第{n}县人民政府</title></head><body><a href=\"/slow.html\">统计</a><a href=\"/gone-{n}.html\">已删除</a></body></html>");
                })
                .Slow("/slow.html", TimeSpan.FromMilliseconds(n % 2 == 0 ? 2000 : 1200))));
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var process in processes)
        {
            process.Dispose();
        }

        foreach (var site in sites)
        {
            await site.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        folder.Dispose();
    }

    [Fact]
    public async Task Serve_FinishesARoundAfterAKill_WithoutInspectingAnyTargetTwice_OrOpeningASecondRound()
    {
        var db = folder.File("sw.db");
        var port = FreePort();
        WriteConfig(port);
        string[] common = ["--db", db, "--config", folder.File("config.json"), "--rules", RepoPaths.Rules];
        var import = await CliProcess.RunAsync(folder.Path, ["targets", "import", folder.File("targets.csv"), .. common]);
        Assert.True(import.ExitCode == 0, import.Stderr);

        // First run: killed once the scheduled round has finished some targets but not all.
        var first = Start(["serve", .. common]);
        var (roundId, doneBefore) = await PollAsync(first, TimeSpan.FromSeconds(40), async () =>
        {
            if (await LatestRoundAsync(db) is not { } round)
            {
                return default;
            }

            var done = await DoneTargetsAsync(db, round.Id);
            return done.Count is > 0 and < Sites ? (round.Id, done) : default;
        });
        first.Kill();
        // A request the dying process sent just before the kill may still reach the fixture's handler a moment later:
        // let it land, so that it counts as before the restart, not as a second inspection after it.
        await Task.Delay(TimeSpan.FromSeconds(1));
        var killedAt = TimeProvider.System.GetUtcNow();
        doneBefore = await DoneTargetsAsync(db, roundId); // a target may have finished between the poll and the kill
        var findingsBefore = await FindingsAsync(db, roundId);
        var getsBefore = homeGets.Select(g => g.Count).ToList();
        output.WriteLine($"killed serve in round {roundId} with {doneBefore.Count}/{Sites} targets done: {string.Join(", ", doneBefore)}; home GETs {string.Join(",", getsBefore)}");
        Assert.InRange(doneBefore.Count, 1, Sites - 1);

        // Second run on the same database: resumes the round.
        var second = Start(["serve", .. common]);
        await PollAsync(second, TimeSpan.FromSeconds(40), async () => await RoundAsync(db, roundId) is { Status: "complete" } ? true : default(bool?));
        await WebLogin.AddUserAsync(new UserStore(new Database(db)), "office", Roles.Admin);
        using (var http = await WebLogin.ClientAsync($"http://127.0.0.1:{port}", "office"))
        {
            var page = await http.GetStringAsync($"/rounds/{roundId}");
            Assert.Contains($"{Sites}/{Sites} targets done", page, StringComparison.Ordinal);
        }

        second.Kill();
        var complete = (await RoundAsync(db, roundId))!;
        var finishedAt = DateTimeOffset.Parse(complete.FinishedAt!, CultureInfo.InvariantCulture);
        output.WriteLine($"round {roundId} complete at {finishedAt:O}; rounds: {string.Join("; ", (await RoundsAsync(db)).Select(r => $"{r.Id} {r.Status} created {r.CreatedAt}"))}");

        // Every target done, and its findings are what one inspection of these identical sites gives, each once.
        Assert.Equal(Sites, (await DoneTargetsAsync(db, roundId)).Count);
        var findings = await FindingsAsync(db, roundId);
        for (var i = 0; i < Sites; i++)
        {
            var id = TargetId(i);
            Finding[] expected =
            [
                new(id, "dead-link", $"http://www.county{i}.gov.cn/gone-{i}.html", 1),
                new(id, "missing-identity", "icp", 1),
                new(id, "missing-identity", "party-gov-badge", 1),
                new(id, "missing-identity", "psb", 1),
                new(id, "missing-identity", "site-code", 1),
                new(id, "stale-homepage", $"http://www.county{i}.gov.cn/", 1),
            ];
            Assert.Equal(expected, findings.Where(f => f.TargetId == id));
        }

        Assert.Superset(findingsBefore.ToHashSet(), findings.ToHashSet()); // results of targets done before the kill were kept, not redone

        // Targets done before the kill were not fetched again; the others were inspected once by the restarted service.
        for (var i = 0; i < Sites; i++)
        {
            var id = TargetId(i);
            var afterRestart = homeGets[i].Count(t => t > killedAt && t <= finishedAt);
            if (doneBefore.Contains(id))
            {
                Assert.True(getsBefore[i] == 1 && afterRestart == 0, $"{id} was done before the kill, yet its home page was fetched {getsBefore[i]} times before and {afterRestart} after the restart");
            }
            else
            {
                Assert.True(getsBefore[i] <= 1 && afterRestart == 1, $"{id} was not done before the kill: home page fetched {getsBefore[i]} times before and {afterRestart} after the restart (once each at most)");
            }
        }

        // The schedule fired every 2 s all along, but resumed the round instead of opening another in the same quarter.
        Assert.Matches(QuarterId(), roundId);
        var rounds = await RoundsAsync(db);
        var startedWhileUnfinished = rounds.Where(r => r.Id != roundId && DateTimeOffset.Parse(r.CreatedAt, CultureInfo.InvariantCulture) < finishedAt).ToList();
        Assert.True(startedWhileUnfinished.Count == 0, $"rounds started while {roundId} was unfinished: {string.Join(", ", startedWhileUnfinished.Select(r => r.Id))}");
    }

    private void WriteConfig(int port)
    {
        var config = new Dictionary<string, object>
        {
            ["Network"] = new Dictionary<string, object>
            {
                ["AllowPrivateAddresses"] = true,
                ["ConnectTo"] = Enumerable.Range(0, Sites).ToDictionary(i => $"www.county{i}.gov.cn", i => sites[i].EndPoint),
                ["DnsOverrides"] = Enumerable.Range(0, Sites).ToDictionary(i => $"www.county{i}.gov.cn", _ => TestGeo.China),
            },
            ["Geo"] = new Dictionary<string, object> { ["CountryDatabase"] = TestGeo.WriteDatabase(folder.File("country.mmdb")) },
            ["Logging"] = new Dictionary<string, object> { ["Folder"] = folder.File("logs") },
            ["Service"] = new Dictionary<string, object>
            {
                ["Urls"] = $"http://127.0.0.1:{port}",
                ["Workers"] = 2,
                ["ProbeCron"] = "", // an availability probe is a GET of the home page too: it would be counted as an inspection
                ["Schedules"] = new[]
                {
                    new Dictionary<string, object>
                    {
                        ["Id"] = "every-two-seconds", ["Name"] = "测试轮次", ["Job"] = "website-round", ["Cron"] = "0/2 * * * * ?", ["SampleFraction"] = 1,
                    },
                },
            },
        };
        File.WriteAllText(folder.File("config.json"), JsonSerializer.Serialize(config));
        File.WriteAllLines(folder.File("targets.csv"),
        [
            "id,kind,name,url,organization,region,site_code",
            .. Enumerable.Range(0, Sites).Select(i => $"{TargetId(i)},website,第{i}县人民政府,http://www.county{i}.gov.cn/,第{i}县人民政府办公室,第{i}县,{TargetId(i)}"),
        ]);
    }

    private static string TargetId(int i) => $"43000000{i:00}";

    private ServeProcess Start(string[] args)
    {
        var process = new ServeProcess(CliProcess.Start(folder.Path, args));
        processes.Add(process);
        return process;
    }

    /// <summary>Polls until <paramref name="probe"/> answers something other than default, the process exits or time runs out.</summary>
    private static async Task<T> PollAsync<T>(ServeProcess process, TimeSpan limit, Func<Task<T?>> probe)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit && !process.HasExited)
        {
            if (await probe() is { } value && !EqualityComparer<T>.Default.Equals(value, default!))
            {
                return value;
            }

            await Task.Delay(50);
        }

        throw new InvalidOperationException($"serve {(process.HasExited ? "exited" : "timed out")} before the expected state; its stderr:\n{process.Stderr}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<T> QueryAsync<T>(string db, Func<SqliteConnection, Task<T>> query, T whenMissing)
    {
        if (!File.Exists(db))
        {
            return whenMissing;
        }

        try
        {
            await using var c = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
            await c.OpenAsync();
            return await query(c);
        }
        catch (SqliteException)
        {
            return whenMissing; // schema not created yet
        }
    }

    private static Task<List<string>> DoneTargetsAsync(string db, string roundId) => QueryAsync(db, async c =>
        (await c.QueryAsync<string>("SELECT target_id FROM round_targets WHERE round_id = @roundId AND status = 'done' ORDER BY target_id", new { roundId })).ToList(), []);

    private static Task<List<RoundRow>> RoundsAsync(string db) => QueryAsync(db, async c =>
        (await c.QueryAsync<RoundRow>("SELECT id AS Id, status AS Status, created_at AS CreatedAt, finished_at AS FinishedAt FROM rounds ORDER BY created_at, rowid")).ToList(), []);

    private static async Task<RoundRow?> LatestRoundAsync(string db) => (await RoundsAsync(db)).LastOrDefault();

    private static async Task<RoundRow?> RoundAsync(string db, string id) => (await RoundsAsync(db)).FirstOrDefault(r => r.Id == id);

    private static Task<List<Finding>> FindingsAsync(string db, string roundId) => QueryAsync(db, async c =>
        (await c.QueryAsync<(string, string, string, long)>(
            "SELECT target_id, check_code, subject, occurrences FROM findings WHERE round_id = @roundId ORDER BY target_id, check_code, subject", new { roundId }))
        .Select(r => new Finding(r.Item1, r.Item2, r.Item3, r.Item4)).ToList(), []);

    [GeneratedRegex(@"^\d{4}Q[1-4]$")]
    private static partial Regex QuarterId();

    private sealed record Finding(string TargetId, string Check, string Subject, long Occurrences);

    private sealed class RoundRow
    {
        public string Id { get; set; } = "";
        public string Status { get; set; } = "";
        public string CreatedAt { get; set; } = "";
        public string? FinishedAt { get; set; }
    }

    /// <summary>A `serve` child process whose output is drained (so it never blocks on a full pipe) and which is killed on dispose.</summary>
    private sealed class ServeProcess : IDisposable
    {
        private readonly Process process;
        private readonly Task<string> stderr;
        private readonly Task<string> stdout;

        public ServeProcess(Process process)
        {
            this.process = process;
            stdout = process.StandardOutput.ReadToEndAsync();
            stderr = process.StandardError.ReadToEndAsync();
        }

        public bool HasExited => process.HasExited;

        public string Stderr => stderr.IsCompleted ? stderr.Result : "(still running)";

        /// <summary>kill -9 of the whole tree, and wait until it is gone.</summary>
        public void Kill()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.WaitForExit();
        }

        public void Dispose()
        {
            try
            {
                Kill();
            }
            catch (InvalidOperationException)
            {
                // never started or already reaped
            }

            process.Dispose();
        }
    }
}
