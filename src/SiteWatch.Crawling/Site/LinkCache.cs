using System.Collections.Concurrent;
using SiteWatch.Core.Model;
using SiteWatch.Crawling.Http;

namespace SiteWatch.Crawling.Site;

/// <summary>
/// The outcome of every off-site link checked in a round, so that a link shared by many sites (the
/// national portal, a provincial platform, a news site) is requested once per round.
/// </summary>
public sealed class LinkCache(HttpFetcher fetcher)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<FetchOutcome>>> outcomes = new(StringComparer.Ordinal);

    public int Count => outcomes.Count;

    public Task<FetchOutcome> CheckAsync(string url, CancellationToken ct) =>
        outcomes.GetOrAdd(url, u => new Lazy<Task<FetchOutcome>>(() => fetcher.CheckLinkAsync(u, ct))).Value;

    /// <summary>Forgets everything (a new round starts with fresh eyes).</summary>
    public void Clear() => outcomes.Clear();
}
