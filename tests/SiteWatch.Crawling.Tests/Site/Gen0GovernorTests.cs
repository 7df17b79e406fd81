using Microsoft.Extensions.Options;
using SiteWatch.Crawling.Site;

namespace SiteWatch.Crawling.Tests.Site;

public sealed class Gen0GovernorTests
{
    [Fact]
    public void AfterPage_CollectsTheYoungestGeneration_OnceAStepOfAllocationHasPassed()
    {
        var governor = new Gen0Governor(Options.Create(new CrawlerOptions { Gen0CollectEveryMegabytes = 1 }));
        governor.AfterPage(); // sets the first mark
        var before = GC.CollectionCount(0);

        for (var i = 0; i < 64; i++)
        {
            GC.KeepAlive(new byte[64 * 1024]);
        }

        governor.AfterPage();

        Assert.True(GC.CollectionCount(0) > before);
    }
}
