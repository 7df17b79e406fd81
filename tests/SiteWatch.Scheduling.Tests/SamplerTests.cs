using SiteWatch.Core.Model;
using SiteWatch.Scheduling;

namespace SiteWatch.Scheduling.Tests;

public sealed class SamplerTests
{
    private static readonly IReadOnlyList<Target> Registry =
    [
        .. Enumerable.Range(1, 10).Select(i => Site($"43010{i:00000}", "长沙市")),
        .. Enumerable.Range(1, 7).Select(i => Site($"43060{i:00000}", "岳阳市")),
        .. Enumerable.Range(1, 2).Select(i => Site($"43062{i:00000}", "平江县")),
    ];

    [Fact]
    public void Draw_TakesAtLeastTheFractionOfEveryRegion()
    {
        var sample = Sampler.Draw(Registry, 0.3, seed: 42);

        Assert.Equal(3, sample.Count(t => t.Region == "长沙市"));
        Assert.Equal(3, sample.Count(t => t.Region == "岳阳市")); // ceil(2.1)
        Assert.Equal(1, sample.Count(t => t.Region == "平江县"));
    }

    [Fact]
    public void Draw_IsTheSame_ForTheSameSeed_AndDiffers_ForAnother()
    {
        var first = Sampler.Draw(Registry, 0.3, seed: 42).Select(t => t.Id).ToList();
        var again = Sampler.Draw(Registry.Reverse().ToList(), 0.3, seed: 42).Select(t => t.Id).ToList();
        var other = Enumerable.Range(1, 20).Select(s => Sampler.Draw(Registry, 0.3, s).Select(t => t.Id).ToList());

        Assert.Equal(first, again);
        Assert.Contains(other, o => !o.SequenceEqual(first));
    }

    [Fact]
    public void Draw_TakesEverything_WhenFractionIsOne()
    {
        Assert.Equal(Registry.Count, Sampler.Draw(Registry, 1.0, seed: 1).Count);
    }

    [Fact]
    public void Draw_StratifiesByLevelWithinARegion()
    {
        var registry = Registry.Select((t, i) => t.Region == "长沙市" ? t with { Level = i < 4 ? "市级" : "县级" } : t).ToList();

        var sample = Sampler.Draw(registry, 0.3, seed: 42);

        Assert.Equal(2, sample.Count(t => t is { Region: "长沙市", Level: "市级" })); // ceil(1.2) of 4
        Assert.Equal(2, sample.Count(t => t is { Region: "长沙市", Level: "县级" })); // ceil(1.8) of 6
    }

    [Fact]
    public void Draw_AlwaysTakesTargetsLeftOutOfTheLastRounds_WithinTheirStratumsShare()
    {
        var usual = Sampler.Draw(Registry, 0.3, seed: 42).Select(t => t.Id).ToHashSet();
        var overdue = Registry.Where(t => t.Region == "长沙市" && !usual.Contains(t.Id)).Take(2).Select(t => t.Id).ToHashSet();

        var sample = Sampler.Draw(Registry, 0.3, seed: 42, overdue);

        Assert.Superset(overdue, sample.Select(t => t.Id).ToHashSet());
        Assert.Equal(3, sample.Count(t => t.Region == "长沙市"));
        var many = Registry.Where(t => t.Region == "长沙市").Take(5).Select(t => t.Id).ToHashSet();
        Assert.Equal(5, Sampler.Draw(Registry, 0.3, seed: 42, many).Count(t => t.Region == "长沙市")); // all overdue ones, beyond the share
    }

    private static Target Site(string id, string region) => new()
    {
        Id = id, Kind = TargetKind.Website, Name = id, Url = $"http://www{id}.gov.cn/", Organization = id, Region = region, SiteCode = id,
    };
}
