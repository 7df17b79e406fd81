using Microsoft.Extensions.Options;

namespace SiteWatch.Crawling.Site;

/// <summary>
/// Keeps the crawler's footprint flat. The runtime sizes its youngest generation from the CPU cache
/// (32 MB and more on servers), so a crawler that turns every page into short-lived garbage touches that
/// much fresh memory between collections. Collecting the youngest generation every few megabytes of
/// allocation costs a millisecond or two each time, since almost nothing in it survives a parsed page, and
/// holds the resident size near what is really alive. <c>Crawler:Gen0CollectEveryMegabytes</c> = 0 turns it off.
/// </summary>
public sealed class Gen0Governor(IOptions<CrawlerOptions> options)
{
    private readonly long step = options.Value.Gen0CollectEveryMegabytes * 1024L * 1024L;
    private long next;

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

        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
    }
}
