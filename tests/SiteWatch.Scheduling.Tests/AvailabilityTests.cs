using SiteWatch.Core.Model;
using SiteWatch.Scheduling;
using SiteWatch.Scheduling.Service;
using SiteWatch.Storage;
using SiteWatch.TestKit;

namespace SiteWatch.Scheduling.Tests;

/// <summary>Availability probes on loopback fixture sites, and site-unreachable judged from a week of probe history.</summary>
public sealed class AvailabilityTests
{
    private static readonly DateTimeOffset AsOf = new(2026, 11, 20, 10, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public async Task ProbeSlotAsync_StoresOneProbePerWebsite_WithTheFailureInPlainWords()
    {
        await using var up = await FakeSite.StartAsync(s => s.Page("/", "<html><body>ok</body></html>"));
        await using var down = await FakeSite.StartAsync(s => s.Status("/", 503));
        await using var services = await new TestServices(new Dictionary<string, string?>
        {
            ["Network:ConnectTo:www.up.gov.cn"] = up.EndPoint,
            ["Network:ConnectTo:www.down.gov.cn"] = down.EndPoint,
            ["Service:ProbeSlots"] = "1",
            ["Crawler:Retries"] = "2",
        }).MigrateAsync();
        await services.Get<TargetStore>().UpsertAsync(
        [
            TargetInspectorTests.Target() with { Id = "up", Url = "http://www.up.gov.cn/" },
            TargetInspectorTests.Target() with { Id = "down", Url = "http://www.down.gov.cn/" },
        ], dryRun: false, CancellationToken.None);
        var now = TimeProvider.System.GetUtcNow();

        var probed = await services.Get<AvailabilityProbes>().ProbeSlotAsync(now, CancellationToken.None);

        Assert.Equal(2, probed);
        var store = services.Get<ProbeStore>();
        var ok = await store.WindowAsync("up", now.AddMinutes(-1), now.AddMinutes(1), CancellationToken.None);
        var failed = await store.WindowAsync("down", now.AddMinutes(-1), now.AddMinutes(1), CancellationToken.None);
        Assert.Equal((1, 0), (ok.Probes, ok.Failures));
        Assert.Equal((1, 1), (failed.Probes, failed.Failures));
        Assert.Equal("HTTP 503", Assert.Single(failed.RecentFailures).Error);
        Assert.Equal(1, down.CountOf("GET /")); // a probe is one try: no retries hide a failure
    }

    [Fact]
    public void SlotOf_SpreadsTargetsOverTheSlots()
    {
        var counts = Enumerable.Range(0, 1200).GroupBy(i => AvailabilityProbes.SlotOf($"43{i:00000000}", 12)).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(12, counts.Count);
        Assert.All(counts.Values, c => Assert.InRange(c, 60, 140));
    }

    [Theory]
    [InlineData(140, 7, "7 of 140 availability probes failed (5.0 %, limit 5 %) from 2026-11-13 to 2026-11-20")]
    [InlineData(140, 6, null)]
    [InlineData(100, 50, "inspection")] // too few probes (< 20 a day): the inspection-time rule judges, and the site opened
    public async Task Inspect_JudgesSiteUnreachableFromAWeekOfProbes(int probes, int failures, string? detail)
    {
        await using var sites = await FixtureSites.StartAsync();
        await using var services = await new TestServices(sites.Settings).MigrateAsync();
        var store = services.Get<ProbeStore>();
        for (var i = 0; i < probes; i++)
        {
            var at = AsOf.AddDays(-7).AddMinutes(72 * i + 1);
            await store.AddAsync(new Probe("4306260001", at, i >= failures, i < failures ? 503 : 200, 40, i < failures ? "HTTP 503" : null), CancellationToken.None);
        }

        var inspection = await services.Get<TargetInspector>().InspectAsync(TargetInspectorTests.Target(), TargetInspectorTests.Round(), CancellationToken.None);

        var finding = inspection.Findings.SingleOrDefault(f => f.Check == "site-unreachable");
        if (detail is null or "inspection")
        {
            Assert.Null(finding);
            return;
        }

        Assert.Equal(detail, finding!.Detail);
        Assert.Equal(Severity.Veto, finding.Severity);
        Assert.StartsWith("2026-11-13 ", finding.Evidence, StringComparison.Ordinal);
    }
}
