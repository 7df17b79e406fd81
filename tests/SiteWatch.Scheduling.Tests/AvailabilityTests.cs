using SiteWatch.Core.Model;
using SiteWatch.Scheduling;
using SiteWatch.Scheduling.Service;
using SiteWatch.Storage;
using SiteWatch.TestKit;

namespace SiteWatch.Scheduling.Tests;

/// <summary>
/// Availability probes on loopback fixture sites — the rotation that probes each website once every Service:ProbeSlots
/// fires, oldest first — and site-unreachable judged from a week of probe history.
/// </summary>
public sealed class AvailabilityTests
{
    private static readonly DateTimeOffset AsOf = new(2026, 11, 20, 10, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public async Task ProbeDueAsync_StoresOneProbePerWebsite_WithTheFailureInPlainWords()
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

        var probed = await services.Get<AvailabilityProbes>().ProbeDueAsync(CancellationToken.None);

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
    public async Task ProbeDueAsync_ProbesEveryWebsiteOncePerCycleOfProbeSlotsFires_NeverProbedFirst()
    {
        const int Sites = 25;
        var start = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
        var clock = new FakeClock(start);
        await using var site = await FakeSite.StartAsync(s => s.Page("/", "<html><body>ok</body></html>"));
        var settings = new Dictionary<string, string?> { ["Service:ProbeSlots"] = "12" };
        var ids = Enumerable.Range(0, Sites).Select(i => $"43062600{i:00}").ToList();
        foreach (var id in ids)
        {
            settings[$"Network:ConnectTo:www.s{id}.gov.cn"] = site.EndPoint;
        }

        await using var services = await new TestServices(settings, clock).MigrateAsync();
        await services.Get<TargetStore>().UpsertAsync(
            ids.Select(id => TargetInspectorTests.Target() with { Id = id, Url = $"http://www.s{id}.gov.cn/" }).ToList(), dryRun: false, CancellationToken.None);
        var probes = services.Get<AvailabilityProbes>();
        var store = services.Get<ProbeStore>();
        async Task<Dictionary<string, int>> CountsAsync()
        {
            var counts = new Dictionary<string, int>();
            foreach (var id in ids)
            {
                counts[id] = (await store.WindowAsync(id, start, clock.GetUtcNow().AddDays(1), CancellationToken.None)).Probes;
            }

            return counts;
        }

        async Task FireAsync(int times)
        {
            for (var i = 0; i < times; i++)
            {
                Assert.Equal(3, await probes.ProbeDueAsync(CancellationToken.None)); // ⌈25 / 12⌉
                clock.Advance(TimeSpan.FromMinutes(6)); // the cron does not matter: only the order of the fires does
            }
        }

        await FireAsync(8);
        var afterEight = await CountsAsync();
        await FireAsync(4);
        var afterCycle = await CountsAsync();
        await FireAsync(12);
        var afterTwoCycles = await CountsAsync();

        Assert.Equal(24, afterEight.Values.Count(c => c == 1)); // 8 × 3 different websites: nobody twice while one was never probed
        Assert.Equal(0, afterEight.Values.Max() - 1);
        Assert.All(afterCycle.Values, c => Assert.InRange(c, 1, 2)); // 36 probes: every website once, 11 twice
        Assert.Equal(36, afterCycle.Values.Sum());
        Assert.Equal(72, afterTwoCycles.Values.Sum());
        Assert.InRange(afterTwoCycles.Values.Max() - afterTwoCycles.Values.Min(), 0, 1);
        Assert.Equal(72, site.CountOf("GET /"));
    }

    [Fact]
    public void Due_TakesNeverProbedThenOldest_TiesInTheStableHashOrder()
    {
        var at = new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);
        var websites = new[] { "a", "b", "c", "d", "e" }.Select(id => TargetInspectorTests.Target() with { Id = id }).ToList();
        var last = new Dictionary<string, DateTimeOffset?> { ["a"] = at, ["b"] = null, ["c"] = at.AddMinutes(-6), ["d"] = null, ["e"] = at };
        var neverProbed = new[] { "b", "d" }.OrderBy(AvailabilityProbes.StableHash).ToList();
        var sameTime = new[] { "a", "e" }.OrderBy(AvailabilityProbes.StableHash).ToList();

        Assert.Equal(neverProbed, AvailabilityProbes.Due(websites, last, slots: 3).Select(t => t.Id)); // ⌈5 / 3⌉ = 2
        Assert.Equal([.. neverProbed, "c", .. sameTime], AvailabilityProbes.Due(websites, last, slots: 1).Select(t => t.Id));
        Assert.Equal(AvailabilityProbes.Due(websites, last, 2).Select(t => t.Id), AvailabilityProbes.Due([.. websites.AsEnumerable().Reverse()], last, 2).Select(t => t.Id)); // whatever the registry's order
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
