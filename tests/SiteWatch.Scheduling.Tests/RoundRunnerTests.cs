using SiteWatch.Core.Model;
using SiteWatch.Scheduling;
using SiteWatch.Storage;
using SiteWatch.TestKit;

namespace SiteWatch.Scheduling.Tests;

public sealed class RoundRunnerTests : IAsyncLifetime
{
    private static readonly DateTimeOffset AsOf = new(2026, 11, 20, 10, 0, 0, TimeSpan.FromHours(8));
    private FixtureSites sites = null!;

    public async Task InitializeAsync() => sites = await FixtureSites.StartAsync();

    public async Task DisposeAsync() => await sites.DisposeAsync();

    [Fact]
    public async Task RunAsync_CompletesTheRound_AndSaysWhy_WhenOneTargetCannotBeInspected()
    {
        await using var services = await new TestServices(sites.Settings).MigrateAsync();
        var broken = TargetInspectorTests.Target() with { Id = "4306260009", SiteCode = "4306260009", Url = "this is not a url" };
        await services.Get<TargetStore>().UpsertAsync([TargetInspectorTests.Target(), broken], dryRun: false, CancellationToken.None);
        var runner = services.Get<RoundRunner>();

        var round = await runner.PrepareAsync(new RoundRequest { All = true, AsOf = AsOf, RoundId = "2026Q4" }, CancellationToken.None);
        var complete = await runner.RunAsync(round, progress: null, CancellationToken.None);

        Assert.True(complete);
        var findings = await services.Get<FindingStore>().ForRoundAsync("2026Q4", CancellationToken.None);
        var notice = Assert.Single(findings, f => f.TargetId == "4306260009");
        Assert.Equal("not-checked", notice.Finding.Check);
        Assert.StartsWith("the registered address 'this is not a url' is not an absolute http(s) URL; correct it in the registry", notice.Finding.Detail);
        Assert.Equal(Severity.Notice, notice.Finding.Severity);
        Assert.Equal(FixtureSites.ExpectedDeadLinks.Count, findings.Count(f => f.TargetId == "4306260001" && f.Finding.Check == "dead-link"));
    }

    [Fact]
    public async Task PrepareAsync_DrawsTheSameSampleAgain_AndResumesAnUnfinishedRound()
    {
        await using var services = await new TestServices().MigrateAsync();
        var registry = Enumerable.Range(1, 10).Select(i => TargetInspectorTests.Target() with
        {
            Id = $"43062600{i:00}", SiteCode = $"43062600{i:00}", Region = i % 2 == 0 ? "甲县" : "乙县",
        }).ToList();
        await services.Get<TargetStore>().UpsertAsync(registry, dryRun: false, CancellationToken.None);
        var runner = services.Get<RoundRunner>();

        var first = await runner.PrepareAsync(new RoundRequest { AsOf = AsOf, Seed = 7, SampleFraction = 0.3 }, CancellationToken.None);
        var resumed = await runner.PrepareAsync(new RoundRequest { AsOf = AsOf, Seed = 99, SampleFraction = 0.5 }, CancellationToken.None);

        Assert.Equal("2026Q4", first.Id);
        Assert.Equal(first.Id, resumed.Id);
        var sample = await services.Get<RoundStore>().TargetsAsync(first.Id, CancellationToken.None);
        Assert.Equal(4, sample.Count); // ceil(0.3 × 5) in each of two regions
        await Assert.ThrowsAsync<RoundException>(() => runner.PrepareAsync(
            new RoundRequest { AsOf = AsOf, RoundId = "other", SampleFraction = 0.2 }, CancellationToken.None));
    }

    [Fact]
    public async Task PrepareAsync_DrawsEveryTargetLeftOutOfTheLastThreeRounds()
    {
        await using var services = await new TestServices().MigrateAsync();
        var registry = Enumerable.Range(1, 10).Select(i => TargetInspectorTests.Target() with { Id = $"43062600{i:00}", SiteCode = $"43062600{i:00}" }).ToList();
        await services.Get<TargetStore>().UpsertAsync(registry, dryRun: false, CancellationToken.None);
        var rounds = services.Get<RoundStore>();
        var inspected = new[] { "4306260001", "4306260002", "4306260003", "4306260004", "4306260005", "4306260006", "4306260007" };
        for (var q = 1; q <= 3; q++)
        {
            var past = new Round
            {
                Id = $"2026Q{q}", Kind = TargetKind.Website, AsOf = AsOf.AddMonths(3 * (q - 4)), SampleFraction = 0.3, Seed = q,
                Status = RoundStatus.Complete, CreatedAt = AsOf.AddMonths(3 * (q - 4)),
            };
            var drawnThen = inspected.Skip(q - 1).Take(3).Append("4306260007").ToList();
            await rounds.CreateAsync(past, drawnThen, CancellationToken.None);
            foreach (var id in drawnThen)
            {
                await rounds.CompleteTargetAsync(past.Id, id, [], [], null, CancellationToken.None);
            }

            Assert.True(await rounds.TryCompleteAsync(past.Id, null, CancellationToken.None));
        }

        var round = await services.Get<RoundRunner>().PrepareAsync(new RoundRequest { AsOf = AsOf, Seed = 7, SampleFraction = 0.3 }, CancellationToken.None);

        var drawn = (await rounds.TargetsAsync(round.Id, CancellationToken.None)).Select(t => t.TargetId).ToHashSet();
        // 06, 08, 09 and 10 were in none of the last three rounds: all four are drawn, beyond the share of ceil(0.3 × 10) = 3.
        Assert.Equal(new HashSet<string> { "4306260006", "4306260008", "4306260009", "4306260010" }, drawn);
    }
}
