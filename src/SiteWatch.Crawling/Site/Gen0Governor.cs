using Microsoft.Extensions.Options;

namespace SiteWatch.Crawling.Site;

/// <summary>
/// Keeps the crawler's footprint flat. The runtime sizes its youngest generation from the CPU cache
/// (32 MB and more on servers), so a crawler that turns every page into short-lived garbage touches that
/// much fresh memory between collections. Collecting the youngest generation every few megabytes of
/// allocation costs a millisecond or two each time, since almost nothing in it survives a parsed page, and
/// holds the resident size near what is really alive; every second such collection takes generation 1 along and every
/// sixth all generations (compacting), for what survived only because it was in flight. <c>Crawler:Gen0CollectEveryMegabytes</c> = 0 turns it off.
/// </summary>
public sealed class Gen0Governor(IOptions<CrawlerOptions> options)
{
    private const int Gen1Every = 2;
    private const int FullEvery = 6;

    private readonly long step = options.Value.Gen0CollectEveryMegabytes * 1024L * 1024L;
    private long next;
    private long collections;

    /// <summary>Called after each page; collects when the process allocated another step since the last time.</summary>
    public void AfterPage()
    {
        if (step <= 0)
        {
            return;
        }

        var allocated = GC.GetTotalAllocatedBytes(precise: false);
        var due = Interlocked.Read(ref next);
        if (allocated < due || Interlocked.CompareExchange(ref next, allocated + step, due) != due)
        {
            return;
        }

        // Now and then the older generations too: what survived a young collection because it was still in flight
        // (a response body, a page's summary) is garbage soon after, and would otherwise sit in gen 2 until the
        // runtime decides on its own to look there.
        var count = Interlocked.Increment(ref collections);
        var generation = count % FullEvery == 0 ? 2 : count % Gen1Every == 0 ? 1 : 0;
        GC.Collect(generation, GCCollectionMode.Forced, blocking: true, compacting: generation == 2);
    }
}
