using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using SiteWatch.TestKit;

namespace SiteWatch.Cli.Tests;

/// <summary>`sitewatch probe` end to end: one probe per website, printed and stored; unknown ids and accounts.</summary>
public sealed class ProbeCommandTests : IAsyncLifetime
{
    private readonly TempFolder folder = new();
    private FakeSite up = null!;
    private FakeSite broken = null!;

    private string[] Common => ["--db", folder.File("sw.db"), "--config", folder.File("config.json"), "--rules", RepoPaths.Rules];

    public async Task InitializeAsync()
    {
        up = await FakeSite.StartAsync(s => s.Page("/", "<html><body>临江县人民政府</body></html>"));
        broken = await FakeSite.StartAsync(s => s.Status("/", 500));
        var config = new Dictionary<string, object>
        {
            ["Network"] = new Dictionary<string, object>
            {
                ["AllowPrivateAddresses"] = true,
                ["ConnectTo"] = new Dictionary<string, string> { ["www.up.gov.cn"] = up.EndPoint, ["www.broken.gov.cn"] = broken.EndPoint },
            },
            ["Logging"] = new Dictionary<string, object> { ["Folder"] = folder.File("logs") },
        };
        File.WriteAllText(folder.File("config.json"), JsonSerializer.Serialize(config));
        File.WriteAllLines(folder.File("targets.csv"),
        [
            "id,kind,name,url,platform,account,organization,region,site_code",
            "4300000201,website,临江县人民政府,http://www.up.gov.cn/,,,临江县人民政府办公室,临江县,4300000201",
            "4300000202,website,青山县人民政府,http://www.broken.gov.cn/,,,青山县人民政府办公室,青山县,4300000202",
            "rss:qs,account,青山发布,http://www.up.gov.cn/feed.xml,rss,qs,青山县人民政府办公室,青山县,",
        ]);
        var import = await CliProcess.RunAsync(folder.Path, ["targets", "import", folder.File("targets.csv"), .. Common]);
        Assert.True(import.ExitCode == 0, import.Stderr);
    }

    public async Task DisposeAsync()
    {
        await up.DisposeAsync();
        await broken.DisposeAsync();
        SqliteConnection.ClearAllPools();
        folder.Dispose();
    }

    [Fact]
    public async Task Probe_ProbesEveryWebsiteOnce_PrintsAndRecordsEachResult()
    {
        var (exitCode, stdout, stderr) = await CliProcess.RunAsync(folder.Path, ["probe", .. Common]);

        Assert.True(exitCode == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Matches(@"^4300000201\s+ok\s+200\s+\d+\s*$", Assert.Single(lines, l => l.StartsWith("4300000201", StringComparison.Ordinal)));
        Assert.Matches(@"^4300000202\s+failed\s+500\s+\d+\s+HTTP 500$", Assert.Single(lines, l => l.StartsWith("4300000202", StringComparison.Ordinal)));
        Assert.DoesNotContain(lines, l => l.StartsWith("rss:qs", StringComparison.Ordinal)); // accounts are not probed
        Assert.Equal("probed 2 websites: 1 ok, 1 failed; recorded in the probes table", lines[^1]);
        Assert.Equal(1, up.CountOf("GET /"));
        Assert.Equal(1, broken.CountOf("GET /")); // one try: no retry hides a failure

        Assert.Equal(
            [new ProbeRow("4300000201", 1, 200, null), new ProbeRow("4300000202", 0, 500, "HTTP 500")],
            await ProbesAsync());
    }

    [Fact]
    public async Task Probe_ProbesOnlyTheWebsitesGiven_AndSaysAccountsAreNotProbed()
    {
        var (exitCode, stdout, stderr) = await CliProcess.RunAsync(folder.Path, ["probe", "--target", "4300000202", "rss:qs", .. Common]);

        Assert.True(exitCode == 0, stderr);
        Assert.Contains("sitewatch: accounts are not probed (availability probes are for websites): rss:qs", stderr, StringComparison.Ordinal);
        Assert.Contains("probed 1 websites: 0 ok, 1 failed", stdout, StringComparison.Ordinal);
        Assert.Equal(0, up.CountOf("GET /"));
        Assert.Equal([new ProbeRow("4300000202", 0, 500, "HTTP 500")], await ProbesAsync());
    }

    [Fact]
    public async Task Probe_FailsWithOneLine_WhenATargetIsUnknown()
    {
        var (exitCode, stdout, stderr) = await CliProcess.RunAsync(folder.Path, ["probe", "--target", "4300000201", "--target", "4399999999", .. Common]);

        Assert.Equal(1, exitCode);
        Assert.Equal("sitewatch: no target with id 4399999999; see `sitewatch targets list`", stderr.Trim());
        Assert.Equal("", stdout);
        Assert.Equal(0, up.CountOf("GET /")); // nothing probed when one id is wrong
        Assert.Empty(await ProbesAsync());
    }

    private async Task<List<ProbeRow>> ProbesAsync()
    {
        await using var c = new SqliteConnection($"Data Source={folder.File("sw.db")};Mode=ReadOnly;Pooling=False");
        await c.OpenAsync();
        return (await c.QueryAsync<(string, long, long?, string?)>("SELECT target_id, ok, status_code, error FROM probes ORDER BY target_id"))
            .Select(r => new ProbeRow(r.Item1, r.Item2, r.Item3, r.Item4)).ToList();
    }

    private sealed record ProbeRow(string TargetId, long Ok, long? StatusCode, string? Error);
}
