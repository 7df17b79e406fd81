using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SiteWatch.Cli.Commands;
using SiteWatch.Core.Model;
using SiteWatch.Scheduling;
using SiteWatch.Scheduling.Service;
using SiteWatch.Storage;
using SiteWatch.TestKit;
using Xunit.Abstractions;

namespace SiteWatch.Cli.Tests;

/// <summary>
/// `serve` with <c>Service:JobStorage=postgresql</c> against a real PostgreSQL on loopback (a throwaway cluster): a
/// scheduled round's target jobs go through Hangfire's tables in PostgreSQL and succeed there, while the round itself
/// is complete in SiteWatch's SQLite database; jobs still waiting in PostgreSQL at a restart are not queued twice.
/// Without PostgreSQL installed the tests fail, saying to run tests/setup.sh.
/// </summary>
[Collection(ServeCollection.Name)]
public sealed class ServePostgreSqlTests(PostgresFixture cluster, ITestOutputHelper output) : IAsyncLifetime, IClassFixture<PostgresFixture>
{
    private static readonly string[] TargetIds = ["4300000101", "4300000102"];

    private readonly TempFolder folder = new();
    private readonly List<FakeSite> sites = [];

    public async Task InitializeAsync()
    {
        foreach (var _ in TargetIds)
        {
            sites.Add(await FakeSite.StartAsync(s => s
                .Page("/", "<html><head><title>县人民政府</title></head><body><a href=\"/gone.html\">已删除</a></body></html>")));
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var site in sites)
        {
            await site.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        folder.Dispose();
    }

    [Fact]
    public async Task Serve_RunsTheRoundsJobsThroughPostgreSql_WhenJobStorageIsPostgreSql()
    {
        var clock = Stopwatch.StartNew();
        var jobs = await cluster.NewDatabaseAsync("scheduled_round");

        var db = folder.File("sw.db");
        string[] common = ["--db", db, "--config", folder.File("config.json"), "--rules", RepoPaths.Rules];
        // A round scheduled a few seconds ahead (once: the cron names the year), after serve has started and written the schedule.
        var at = TimeZoneInfo.ConvertTime(TimeProvider.System.GetUtcNow().AddSeconds(7), TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));
        WriteConfig(jobs, $"{at.Second} {at.Minute} {at.Hour} {at.Day} {at.Month} ? {at.Year}");
        var import = await CliProcess.RunAsync(folder.Path, ["targets", "import", folder.File("targets.csv"), .. common]);
        Assert.True(import.ExitCode == 0, import.Stderr);

        using var serve = CliProcess.Start(folder.Path, ["serve", .. common]);
        var stderr = serve.StandardError.ReadToEndAsync();
        var stdout = serve.StandardOutput.ReadToEndAsync();
        string? roundId;
        try
        {
            roundId = await WaitForCompleteRoundAsync(db, serve, TimeSpan.FromSeconds(30));
        }
        finally
        {
            if (!serve.HasExited)
            {
                serve.Kill(entireProcessTree: true);
            }

            await serve.WaitForExitAsync();
        }

        output.WriteLine($"round complete after {clock.Elapsed.TotalSeconds:0.0} s; serve stderr: {await stderr}");
        Assert.True(roundId is not null, $"no complete round within 30 s; serve exited: {serve.HasExited}; stderr: {await stderr} {await stdout}");

        // The jobs went through PostgreSQL: one succeeded TargetJob per target of the round, in schema hangfire.
        await using var connection = new NpgsqlConnection(jobs);
        await connection.OpenAsync();
        var succeeded = (await connection.QueryAsync<(string Invocation, string Arguments)>(
            "SELECT invocationdata::text, arguments::text FROM hangfire.job WHERE statename = 'Succeeded'")).ToList();
        output.WriteLine(string.Join("\n", succeeded.Select(j => $"{j.Invocation} {j.Arguments}")));
        Assert.All(succeeded, j => Assert.Contains("TargetJob", j.Invocation, StringComparison.Ordinal));
        foreach (var target in TargetIds)
        {
            Assert.Single(succeeded, j => j.Arguments.Contains(target, StringComparison.Ordinal) && j.Arguments.Contains(roundId, StringComparison.Ordinal));
        }

        var all = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM hangfire.job");
        Assert.Equal(TargetIds.Length, all); // nothing else was queued (probes are off)
        output.WriteLine($"done after {clock.Elapsed.TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task Dispatch_LeavesATargetWhoseJobIsStillWaitingInPostgreSql()
    {
        var jobs = await cluster.NewDatabaseAsync("restart");
        WriteConfig(jobs, "0 0 2 1 1 ?");
        var settings = new Dictionary<string, string?>
        {
            ["Network:AllowPrivateAddresses"] = "true",
            ["Geo:CountryDatabase"] = folder.File("country.mmdb"),
            ["Logging:Folder"] = folder.File("logs"),
        };
        var globals = new GlobalOptions(folder.File("sw.db"), folder.File("config.json"), RepoPaths.Rules, null, false) { Overrides = settings };
        await using var app = await ServeCommandHandler.BuildAsync(globals, "http://127.0.0.1:0", CancellationToken.None); // not started: no worker takes the jobs
        var targets = TargetIds.Select((id, i) => new Target
        {
            Id = id, Kind = TargetKind.Website, Name = $"第{i}县人民政府", Url = $"http://{Host(i)}/", Organization = $"第{i}县人民政府办公室", Region = $"第{i}县", SiteCode = id,
        }).ToList();
        await app.Services.GetRequiredService<TargetStore>().UpsertAsync(targets, dryRun: false, CancellationToken.None);
        var round = await app.Services.GetRequiredService<RoundRunner>().PrepareAsync(
            new RoundRequest { RoundId = "2026Q4", All = true, AsOf = TimeProvider.System.GetUtcNow() }, CancellationToken.None);
        // What a restart finds: the first target's job, queued before the restart, still waiting in PostgreSQL.
        app.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<TargetJob>(job => job.RunAsync(round.Id, TargetIds[0], 0, CancellationToken.None));

        var dispatched = await app.Services.GetRequiredService<RoundDispatch>().DispatchAsync(round, CancellationToken.None);

        Assert.Equal(1, dispatched);
        await using var connection = new NpgsqlConnection(jobs);
        await connection.OpenAsync();
        var queued = (await connection.QueryAsync<string>("SELECT arguments::text FROM hangfire.job WHERE statename = 'Enqueued'")).ToList();
        Assert.Equal(TargetIds.Length, queued.Count);
        Assert.All(TargetIds, id => Assert.Single(queued, a => a.Contains(id, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Serve_StopsWithOneLine_WhenPostgreSqlIsChosenWithoutAConnectionString()
    {
        WriteConfig(null, "0 0 2 1 1 ?");

        var (exitCode, _, stderr) = await CliProcess.RunAsync(folder.Path, ["serve", "--db", folder.File("sw.db"), "--config", folder.File("config.json"), "--rules", RepoPaths.Rules]);

        Assert.Equal(1, exitCode);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("sitewatch: Service:JobStorage is postgresql but ConnectionStrings:Hangfire is not set", line, StringComparison.Ordinal);
    }

    private void WriteConfig(string? connectionString, string cron)
    {
        var config = new Dictionary<string, object>
        {
            ["Network"] = new Dictionary<string, object>
            {
                ["AllowPrivateAddresses"] = true,
                ["ConnectTo"] = Enumerable.Range(0, TargetIds.Length).ToDictionary(i => Host(i), i => sites[i].EndPoint),
                ["DnsOverrides"] = Enumerable.Range(0, TargetIds.Length).ToDictionary(i => Host(i), _ => TestGeo.China),
            },
            ["Geo"] = new Dictionary<string, object> { ["CountryDatabase"] = TestGeo.WriteDatabase(folder.File("country.mmdb")) },
            ["Logging"] = new Dictionary<string, object> { ["Folder"] = folder.File("logs") },
            ["Service"] = new Dictionary<string, object>
            {
                ["Urls"] = $"http://127.0.0.1:{FreePort()}",
                ["Workers"] = 2,
                ["JobStorage"] = "postgresql",
                ["ProbeCron"] = "",
                ["Schedules"] = new[]
                {
                    new Dictionary<string, object> { ["Id"] = "soon", ["Name"] = "测试轮次", ["Job"] = "website-round", ["Cron"] = cron, ["SampleFraction"] = 1 },
                },
            },
        };
        if (connectionString is not null)
        {
            config["ConnectionStrings"] = new Dictionary<string, object> { ["Hangfire"] = connectionString };
        }

        File.WriteAllText(folder.File("config.json"), JsonSerializer.Serialize(config));
        File.WriteAllLines(folder.File("targets.csv"),
        [
            "id,kind,name,url,organization,region,site_code",
            .. TargetIds.Select((id, i) => $"{id},website,第{i}县人民政府,http://{Host(i)}/,第{i}县人民政府办公室,第{i}县,{id}"),
        ]);
    }

    private static string Host(int i) => $"www.pg{i}.gov.cn";

    private static async Task<string?> WaitForCompleteRoundAsync(string db, Process serve, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit && !serve.HasExited)
        {
            if (File.Exists(db))
            {
                try
                {
                    await using var c = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
                    await c.OpenAsync();
                    if (await c.QueryFirstOrDefaultAsync<string>("SELECT id FROM rounds WHERE status = 'complete'") is { } id)
                    {
                        return id;
                    }
                }
                catch (SqliteException)
                {
                    // schema not created yet
                }
            }

            await Task.Delay(200);
        }

        return null;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>One throwaway PostgreSQL cluster for the tests of a class, a fresh database per test.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private readonly TempFolder folder = new();
    private TempPostgres? cluster;

    public async Task InitializeAsync() => cluster = await TempPostgres.StartAsync(folder.Path, "sitewatch");

    public async Task<string> NewDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(cluster!.ConnectionString("sitewatch"));
        await connection.OpenAsync();
        await connection.ExecuteAsync($"CREATE DATABASE \"{name}\"");
        return cluster.ConnectionString(name);
    }

    public async Task DisposeAsync()
    {
        if (cluster is not null)
        {
            await cluster.DisposeAsync();
        }

        folder.Dispose();
    }
}
