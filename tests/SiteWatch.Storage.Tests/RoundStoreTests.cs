using SiteWatch.Core.Model;
using SiteWatch.Storage;
using SiteWatch.TestKit;

namespace SiteWatch.Storage.Tests;

public sealed class RoundStoreTests
{
    private static readonly DateTimeOffset AsOf = new(2026, 11, 20, 10, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public async Task CompleteTargetAsync_ReplacesEarlierResults_WhenATargetIsInspectedTwice()
    {
        await using var services = await new TestServices().MigrateAsync();
        var rounds = services.Get<RoundStore>();
        await rounds.CreateAsync(NewRound("2026Q4"), ["a", "b"], CancellationToken.None);
        var finding = new Finding
        {
            Check = "dead-link", Severity = Severity.Deduct, Url = "http://www.x.gov.cn/", Subject = "http://www.x.gov.cn/gone.html",
            Detail = "HTTP 404", Occurrences = 3, ObservedAt = AsOf,
        };
        var page = new PageRecord("http://www.x.gov.cn/", 0, "Ok", 200, "text/html", 100, 5);

        await rounds.CompleteTargetAsync("2026Q4", "a", [finding], [page], null, CancellationToken.None);
        await rounds.CompleteTargetAsync("2026Q4", "a", [finding], [page], null, CancellationToken.None);

        var stored = await services.Get<FindingStore>().ForRoundAsync("2026Q4", CancellationToken.None);
        var only = Assert.Single(stored);
        Assert.Equal(3, only.Finding.Occurrences);
        Assert.Equal(AsOf, only.Finding.ObservedAt);
        Assert.Equal(TimeSpan.FromHours(8), only.Finding.ObservedAt.Offset);
        Assert.False(await rounds.TryCompleteAsync("2026Q4", null, CancellationToken.None));
        var progress = await rounds.TargetsAsync("2026Q4", CancellationToken.None);
        Assert.Equal([RoundTargetStatus.Done, RoundTargetStatus.Pending], progress.Select(p => p.Status));
    }

    [Fact]
    public async Task TryCompleteAsync_ClosesTheRound_WhenEveryTargetIsDone()
    {
        await using var services = await new TestServices().MigrateAsync();
        var rounds = services.Get<RoundStore>();
        await rounds.CreateAsync(NewRound("r1"), ["a"], CancellationToken.None);
        await rounds.StartTargetAsync("r1", "a", CancellationToken.None);
        Assert.Equal(RoundTargetStatus.Running, (await rounds.TargetsAsync("r1", CancellationToken.None))[0].Status);

        await rounds.CompleteTargetAsync("r1", "a", [], [], null, CancellationToken.None);

        Assert.True(await rounds.TryCompleteAsync("r1", null, CancellationToken.None));
        var round = await rounds.GetAsync("r1", CancellationToken.None);
        Assert.Equal(RoundStatus.Complete, round!.Status);
        Assert.Equal(AsOf, round.AsOf);
        Assert.Null(await rounds.LatestRunningAsync(TargetKind.Website, CancellationToken.None));
    }

    private static Round NewRound(string id) => new()
    {
        Id = id, Kind = TargetKind.Website, AsOf = AsOf, SampleFraction = 0.3, Seed = 7, Status = RoundStatus.Running,
        CreatedAt = AsOf,
    };
}
