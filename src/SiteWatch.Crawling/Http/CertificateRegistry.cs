using System.Collections.Concurrent;
using SiteWatch.Core.Model;

namespace SiteWatch.Crawling.Http;

/// <summary>
/// What each host's certificate looked like when the fetcher connected, and which hosts are being inspected:
/// those are crawled even with a bad certificate (tls-invalid reports it), while any other host with one is a
/// dead link, as a visitor's browser would refuse it.
/// </summary>
public sealed class CertificateRegistry
{
    private readonly ConcurrentDictionary<string, CertificateReport> reports = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, int> inspected = new(StringComparer.OrdinalIgnoreCase);

    public void Record(CertificateReport report) => reports[report.Host] = report;

    public CertificateReport? Find(string host) => reports.GetValueOrDefault(host);

    /// <summary>Marks a host as under inspection until the returned handle is disposed.</summary>
    public IDisposable Inspect(string host)
    {
        inspected.AddOrUpdate(host, 1, (_, n) => n + 1);
        return new Release(this, host);
    }

    public bool IsInspected(string host) => inspected.TryGetValue(host, out var n) && n > 0;

    private sealed class Release(CertificateRegistry registry, string host) : IDisposable
    {
        private int done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref done, 1) == 0)
            {
                registry.inspected.AddOrUpdate(host, 0, (_, n) => Math.Max(0, n - 1));
            }
        }
    }
}
