using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace SiteWatch.Crawling.Http;

/// <summary>
/// Politeness: at most <c>PerHostConcurrency</c> requests in flight to one host:port and
/// <c>GlobalConcurrency</c> in the process, whoever sends them (crawl, link checks, other targets).
/// </summary>
public sealed class HostLimiter(IOptions<CrawlerOptions> options)
{
    private readonly CrawlerOptions crawler = options.Value;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> hosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly SemaphoreSlim global = new(options.Value.GlobalConcurrency);

    public async Task<IDisposable> AcquireAsync(Uri uri, CancellationToken ct)
    {
        var host = hosts.GetOrAdd(uri.Authority, _ => new SemaphoreSlim(crawler.PerHostConcurrency));

        // Host first: a request waiting for its host must not hold one of the global slots.
        await host.WaitAsync(ct);
        try
        {
            await global.WaitAsync(ct);
        }
        catch
        {
            host.Release();
            throw;
        }

        return new Slot(host, global);
    }

    private sealed class Slot(SemaphoreSlim host, SemaphoreSlim global) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                global.Release();
                host.Release();
            }
        }
    }
}
