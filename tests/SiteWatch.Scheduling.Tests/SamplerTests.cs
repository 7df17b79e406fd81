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

    private static Target Site(string id, string region) => new()
    {
        Id = id, Kind = TargetKind.Website, Name = id, Url = $"http://www{id}.gov.cn/", Organization = id, Region = region, SiteCode = id,
    };
}
