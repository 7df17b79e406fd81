using System.Globalization;
using System.Net;
using Quartz;
using SiteWatch.Core.Model;
using SiteWatch.Scheduling.Service;
using SiteWatch.Storage;
using SiteWatch.TestKit;

namespace SiteWatch.Cli.Tests;

/// <summary>
/// /schedules through the real host: an admin's edit lands in the database and in the running Quartz trigger at once;
/// a bad cron or a sample fraction under 0.3 changes nothing; inspectors only read, webmasters are refused, and a
/// form without the anti-forgery token is rejected. The availability probes, seeded from Service:ProbeCron, are one of
/// the schedules (the registry is empty here, so a probe fire during a test probes nothing).
/// </summary>
[Collection(ServeCollection.Name)]
public sealed class SchedulePagesTests : IAsyncLifetime
{
    private const string Id = "quarterly-websites";
    private const string Cron = "0 0 2 1 1,4,7,10 ?";
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private WebHost host = null!;

    public async Task InitializeAsync()
    {
        host = await WebHost.BuildAsync(new Dictionary<string, string?> { ["Service:ProbeCron"] = ServiceOptions.DefaultProbeCron });
        await host.Get<ScheduleStore>().SaveAsync(new Schedule
        {
            Id = Id, Name = "季度网站抽查", Job = ScheduleJob.WebsiteRound, Cron = Cron, SampleFraction = 0.3, CreatedAt = TimeProvider.System.GetUtcNow(),
        }, CancellationToken.None);
        await host.StartAsync();
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task Save_ChangesTheDatabaseAndTheRunningTrigger_WhenAnAdminPostsAValidCron()
    {
        using var office = await host.LoginAsync("office");
        var before = await NextFireAsync();

        var answer = await PostAsync(office, "0 30 3 15 * ?", "Asia/Shanghai", "0.5", enabled: true);
        var page = WebUtility.HtmlDecode(await answer.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var saved = (await host.Get<ScheduleStore>().GetAsync(Id, CancellationToken.None))!;
        Assert.Equal("0 30 3 15 * ?", saved.Cron);
        Assert.Equal(0.5, saved.SampleFraction);
        var expected = CronExpression.Parse("0 30 3 15 * ?").WithTimeZone(Shanghai).GetNextValidTimeAfter(TimeProvider.System.GetUtcNow())!.Value;
        var next = await NextFireAsync();
        Assert.NotEqual(before, next);
        Assert.Equal(expected, next);
        var local = TimeZoneInfo.ConvertTime(expected, Shanghai);
        Assert.Equal((3, 30, 15), (local.Hour, local.Minute, local.Day));
        Assert.Contains($"<td class=\"next-fire\">{local.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture)}</td>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Save_RemovesTheTrigger_WhenTheScheduleIsDisabled()
    {
        using var office = await host.LoginAsync("office");

        var answer = await PostAsync(office, Cron, "Asia/Shanghai", "0.3", enabled: false);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.False((await host.Get<ScheduleStore>().GetAsync(Id, CancellationToken.None))!.Enabled);
        Assert.Null(await NextFireAsync());
    }

    [Theory]
    [InlineData("not a cron", "Asia/Shanghai", "0.3", "cron 表达式无效")]
    [InlineData("0 0 2 1 1,4,7,10 ? 2020 1", "Asia/Shanghai", "0.3", "cron 表达式无效")]
    [InlineData(Cron, "Mars/Olympus", "0.3", "时区无效")]
    [InlineData(Cron, "Asia/Shanghai", "0.2", "抽样比例不得低于 0.3")]
    [InlineData(Cron, "Asia/Shanghai", "many", "抽样比例无效")]
    public async Task Save_ChangesNothingAndSaysWhy_WhenAValueIsBad(string cron, string zone, string fraction, string error)
    {
        using var office = await host.LoginAsync("office");
        var before = await NextFireAsync();

        var answer = await PostAsync(office, cron, zone, fraction, enabled: true);
        var page = WebUtility.HtmlDecode(await answer.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.StatusCode);
        Assert.Contains(error, page, StringComparison.Ordinal);
        Assert.Contains($"value=\"{cron}\"", page, StringComparison.Ordinal); // the form shows what was typed, to fix it
        var stored = (await host.Get<ScheduleStore>().GetAsync(Id, CancellationToken.None))!;
        Assert.Equal((Cron, "Asia/Shanghai", 0.3, true), (stored.Cron, stored.TimeZone, stored.SampleFraction, stored.Enabled));
        Assert.Equal(before, await NextFireAsync());
    }

    [Fact]
    public async Task Schedules_AreReadOnlyForInspectors_AndRefusedToWebmasters()
    {
        using var inspector = await host.LoginAsync("inspector");
        using var webmaster = await host.LoginAsync("linjiang");

        var page = await inspector.GetStringAsync("/schedules");
        var tokenFromLogin = await WebHost.PostFormAsync(inspector, "/login", $"/schedules/{Id}", Fields("0 30 3 15 * ?", "Asia/Shanghai", "0.5", true));

        Assert.Contains(Id, page, StringComparison.Ordinal);
        Assert.Contains("class=\"next-fire\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<form method=\"post\" action=\"/schedules/", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, tokenFromLogin.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await webmaster.GetAsync("/schedules")).StatusCode);
        Assert.Equal(Cron, (await host.Get<ScheduleStore>().GetAsync(Id, CancellationToken.None))!.Cron);
    }

    [Fact]
    public async Task Save_IsRejected_WithoutTheAntiForgeryToken()
    {
        using var office = await host.LoginAsync("office");

        var answer = await WebHost.PostFormAsync(office, null, $"/schedules/{Id}", Fields("0 30 3 15 * ?", "Asia/Shanghai", "0.5", true));

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Equal(Cron, (await host.Get<ScheduleStore>().GetAsync(Id, CancellationToken.None))!.Cron);
    }

    [Fact]
    public async Task Probes_AreASeededScheduleWithTheirNextFire_WithoutASampleFraction()
    {
        using var office = await host.LoginAsync("office");

        var page = WebUtility.HtmlDecode(await office.GetStringAsync("/schedules"));

        var probes = (await host.Get<ScheduleStore>().GetAsync(AvailabilityProbes.ScheduleId, CancellationToken.None))!;
        Assert.Equal(("可用性监测", ScheduleJob.Probes, ServiceOptions.DefaultProbeCron, "Asia/Shanghai", true),
            (probes.Name, probes.Job, probes.Cron, probes.TimeZone, probes.Enabled));
        var next = (await NextFireAsync(AvailabilityProbes.ScheduleId))!.Value;
        Assert.InRange(next - TimeProvider.System.GetUtcNow(), TimeSpan.Zero, TimeSpan.FromMinutes(6));
        var local = TimeZoneInfo.ConvertTime(next, Shanghai).ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);
        Assert.Contains($"<tr id=\"schedule-availability-probes\"><td>availability-probes</td><td>可用性监测</td><td>probes</td><td><code>0 0/6 * * * ?</code></td><td>Asia/Shanghai</td><td>—</td><td>是 yes</td><td>—</td><td class=\"next-fire\">{local}</td></tr>", page, StringComparison.Ordinal);
        var form = page[page.IndexOf("action=\"/schedules/availability-probes\"", StringComparison.Ordinal)..];
        Assert.DoesNotContain("sampleFraction", form[..form.IndexOf("</form>", StringComparison.Ordinal)], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probes_AreSeededDisabledWithoutATrigger_WhenProbeCronIsEmpty()
    {
        await host.DisposeAsync();
        host = await WebHost.BuildAsync(); // Service:ProbeCron "", as every web test has it: no probes
        await host.StartAsync();

        var probes = (await host.Get<ScheduleStore>().GetAsync(AvailabilityProbes.ScheduleId, CancellationToken.None))!;

        Assert.Equal((ScheduleJob.Probes, ServiceOptions.DefaultProbeCron, false), (probes.Job, probes.Cron, probes.Enabled));
        Assert.Null(await NextFireAsync(AvailabilityProbes.ScheduleId));
    }

    [Fact]
    public async Task Probes_ProbeTheWebsitesWhenTheirScheduleFires()
    {
        await using var site = await FakeSite.StartAsync(s => s.Page("/", "<html><body>ok</body></html>"));
        await host.DisposeAsync();
        host = await WebHost.BuildAsync(new Dictionary<string, string?>
        {
            ["Service:ProbeCron"] = "0 0 0 1 1 ? 2099", // not before the test ends: the fire below is the one
            ["Network:AllowPrivateAddresses"] = "true",
            ["Network:ConnectTo:www.linjiang.gov.cn"] = site.EndPoint,
        });
        await host.Get<TargetStore>().UpsertAsync([new Target
        {
            Id = "4306260001", Kind = TargetKind.Website, Name = "临江县人民政府", Url = "http://www.linjiang.gov.cn/", Organization = "临江县人民政府办公室",
            Region = "临江县",
        }], dryRun: false, CancellationToken.None);
        await host.StartAsync();
        var before = TimeProvider.System.GetUtcNow();

        var scheduler = await host.Get<ISchedulerFactory>().GetScheduler();
        await scheduler.TriggerJob(new JobKey(AvailabilityProbes.ScheduleId));
        var schedules = host.Get<ScheduleStore>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while ((await schedules.GetAsync(AvailabilityProbes.ScheduleId, CancellationToken.None))!.LastFiredAt is null)
        {
            await Task.Delay(100, timeout.Token);
        }

        var probes = await host.Get<ProbeStore>().WindowAsync("4306260001", before, TimeProvider.System.GetUtcNow().AddMinutes(1), CancellationToken.None);
        Assert.Equal((1, 0), (probes.Probes, probes.Failures));
        Assert.Equal(1, site.CountOf("GET /"));
    }

    [Fact]
    public async Task Save_ReschedulesTheProbes_WhenAnAdminEditsTheirCron()
    {
        using var office = await host.LoginAsync("office");

        var answer = await WebHost.PostFormAsync(office, "/schedules", $"/schedules/{AvailabilityProbes.ScheduleId}",
            new Dictionary<string, string> { ["cron"] = "0 5/10 * * * ?", ["timeZone"] = "Asia/Shanghai", ["enabled"] = "on" }); // no sample fraction: probes draw none

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var saved = (await host.Get<ScheduleStore>().GetAsync(AvailabilityProbes.ScheduleId, CancellationToken.None))!;
        Assert.Equal(("0 5/10 * * * ?", true), (saved.Cron, saved.Enabled));
        var next = (await NextFireAsync(AvailabilityProbes.ScheduleId))!.Value;
        Assert.Equal(5, TimeZoneInfo.ConvertTime(next, Shanghai).Minute % 10);
        Assert.Equal(0, next.Second);
        Assert.InRange(next - TimeProvider.System.GetUtcNow(), TimeSpan.Zero, TimeSpan.FromMinutes(10));

        var off = await WebHost.PostFormAsync(office, "/schedules", $"/schedules/{AvailabilityProbes.ScheduleId}",
            new Dictionary<string, string> { ["cron"] = "0 5/10 * * * ?", ["timeZone"] = "Asia/Shanghai" });

        Assert.Equal(HttpStatusCode.OK, off.StatusCode);
        Assert.Null(await NextFireAsync(AvailabilityProbes.ScheduleId)); // disabled: no more probes
    }

    private Task<HttpResponseMessage> PostAsync(HttpClient client, string cron, string zone, string fraction, bool enabled) =>
        WebHost.PostFormAsync(client, "/schedules", $"/schedules/{Id}", Fields(cron, zone, fraction, enabled));

    private static Dictionary<string, string> Fields(string cron, string zone, string fraction, bool enabled)
    {
        var fields = new Dictionary<string, string> { ["cron"] = cron, ["timeZone"] = zone, ["sampleFraction"] = fraction };
        if (enabled)
        {
            fields["enabled"] = "on";
        }

        return fields;
    }

    private async Task<DateTimeOffset?> NextFireAsync(string id = Id)
    {
        var scheduler = await host.Get<ISchedulerFactory>().GetScheduler();
        return (await scheduler.GetTrigger(new TriggerKey(id)))?.NextFireTimeUtc;
    }
}
