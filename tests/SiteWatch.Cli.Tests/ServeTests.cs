using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using SiteWatch.Cli.Commands;
using SiteWatch.Core.Model;
using SiteWatch.Scheduling.Service;
using SiteWatch.Storage;
using SiteWatch.TestKit;

namespace SiteWatch.Cli.Tests;

/// <summary>
/// `serve` in process on loopback: a schedule fires through Quartz, its targets run as Hangfire jobs, the round is
/// complete in the database and on the overview page; a schedule that missed its fire while the service was down
/// fires once at start, and not again on the next start.
/// </summary>
[Collection(ServeCollection.Name)]
public sealed class ServeTests : IAsyncLifetime
{
    private readonly TempFolder folder = new();
    private FixtureSites sites = null!;

    public async Task InitializeAsync() => sites = await FixtureSites.StartAsync();

    public async Task DisposeAsync()
    {
        await sites.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        folder.Dispose();
    }

    [Fact]
    public async Task Serve_RunsAScheduledRoundByItself_AndShowsItOnTheOverview()
    {
        var settings = Settings();
        // A round scheduled a few seconds ahead (once: the cron names the year), as a general office would a minute ahead.
        var at = TimeZoneInfo.ConvertTime(TimeProvider.System.GetUtcNow().AddSeconds(4), TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));
        settings["Service:Schedules:0:Id"] = "soon";
        settings["Service:Schedules:0:Name"] = "测试轮次";
        settings["Service:Schedules:0:Job"] = "website-round";
        settings["Service:Schedules:0:Cron"] = $"{at.Second} {at.Minute} {at.Hour} {at.Day} {at.Month} ? {at.Year}";
        settings["Service:Schedules:0:SampleFraction"] = "1";
        await using var app = await ServeCommandHandler.BuildAsync(Globals(settings), "http://127.0.0.1:0", CancellationToken.None);
        await app.Services.GetRequiredService<TargetStore>().UpsertAsync([County()], dryRun: false, CancellationToken.None);
        await WebLogin.AddUserAsync(app.Services.GetRequiredService<UserStore>(), "office", Roles.Admin);

        await app.StartAsync();
        var round = await WaitForCompleteRoundAsync(app.Services.GetRequiredService<RoundStore>(), TimeSpan.FromSeconds(90));
        using var http = await WebLogin.ClientAsync(Address(app), "office");
        var health = await http.GetAsync("/healthz");
        var overview = await http.GetStringAsync("/");
        var page = await http.GetStringAsync($"/rounds/{round.Id}");
        await app.StopAsync();

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Contains("\"status\":\"ok\"", await health.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(round.Id, overview, StringComparison.Ordinal);
        Assert.Contains("链接不可用", overview, StringComparison.Ordinal);
        Assert.Contains("<tr><td>临江县</td><td>1</td><td>1</td><td>0</td>", overview, StringComparison.Ordinal); // by region: drawn, done, with a veto
        Assert.Contains("1/1 targets done", page, StringComparison.Ordinal);
        var findings = await app.Services.GetRequiredService<FindingStore>().ForRoundAsync(round.Id, CancellationToken.None);
        Assert.Equal(FixtureSites.ExpectedDeadLinks.Count, findings.Count(f => f.Finding.Check == "dead-link"));
        Assert.NotNull((await app.Services.GetRequiredService<ScheduleStore>().GetAsync("soon", CancellationToken.None))!.LastFiredAt);
    }

    [Fact]
    public async Task Serve_FiresAScheduleThatMissedItsTimeOnce_AtStart()
    {
        var settings = Settings();
        var missed = new Schedule
        {
            Id = "new-year", Name = "元旦轮次", Job = ScheduleJob.WebsiteRound, Cron = "0 0 3 1 1 ?", SampleFraction = 1,
            CreatedAt = new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.FromHours(8)),
        };
        string roundId;
        await using (var first = await ServeCommandHandler.BuildAsync(Globals(settings), "http://127.0.0.1:0", CancellationToken.None))
        {
            await first.Services.GetRequiredService<TargetStore>().UpsertAsync([County()], dryRun: false, CancellationToken.None);
            await first.Services.GetRequiredService<ScheduleStore>().SaveAsync(missed, CancellationToken.None);
            Assert.True(MissedFires.IsDue(missed, TimeProvider.System.GetUtcNow()));

            await first.StartAsync();
            roundId = (await WaitForCompleteRoundAsync(first.Services.GetRequiredService<RoundStore>(), TimeSpan.FromSeconds(90))).Id;
            await first.StopAsync();
        }

        await using var second = await ServeCommandHandler.BuildAsync(Globals(settings), "http://127.0.0.1:0", CancellationToken.None);
        var fired = await second.Services.GetRequiredService<ScheduleStore>().GetAsync("new-year", CancellationToken.None);
        Assert.NotNull(fired!.LastFiredAt);
        Assert.False(MissedFires.IsDue(fired, TimeProvider.System.GetUtcNow()));
        Assert.Equal([roundId], await second.Services.GetRequiredService<RoundStore>().IdsStartingWithAsync(roundId, CancellationToken.None));
    }

    private Dictionary<string, string?> Settings()
    {
        var settings = new Dictionary<string, string?>(sites.Settings)
        {
            ["Geo:CountryDatabase"] = TestGeo.WriteDatabase(folder.File("country.mmdb")),
            ["Logging:Folder"] = folder.File("logs"),
            ["Service:Workers"] = "2",
            ["Network:AllowPrivateAddresses"] = "true",
        };
        return settings;
    }

    private GlobalOptions Globals(IReadOnlyDictionary<string, string?> settings) =>
        new(folder.File("serve.db"), null, RepoPaths.Rules, null, false) { Overrides = settings };

    private static Target County() => new()
    {
        Id = "4306260001", Kind = TargetKind.Website, Name = "临江县人民政府", Url = FixtureSites.Home, Organization = "临江县人民政府办公室",
        Region = "临江县", SiteCode = "4306260001",
    };

    private static string Address(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    private static async Task<Round> WaitForCompleteRoundAsync(RoundStore rounds, TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        while (true)
        {
            if (await rounds.LatestAsync(CancellationToken.None) is { Status: RoundStatus.Complete } round)
            {
                return round;
            }

            await Task.Delay(250, timeout.Token);
        }
    }
}

/// <summary>Hangfire keeps its storage in static state: `serve` hosts in one process run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ServeCollection
{
    public const string Name = "serve";
}
