using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SiteWatch.Core.Model;
using SiteWatch.Crawling.Http;
using SiteWatch.Storage;

namespace SiteWatch.Scheduling.Service;

/// <summary>
/// Availability probes. The schedule <c>availability-probes</c> (job <c>probes</c>, cron seeded from
/// <c>Service:ProbeCron</c>, every 6 minutes by default) fires; each fire probes the ⌈websites / <c>Service:ProbeSlots</c>⌉
/// websites whose last probe is oldest, never-probed first. So whatever the cron, every website is probed once every
/// ProbeSlots fires (12 × 6 minutes = every 72 minutes, 20 a day, by default) and a province's probes stay spread evenly
/// over the cycle. One GET, no retries, the crawler's 15 s timeout; every result is stored for site-unreachable's 7-day rule.
/// </summary>
public sealed class AvailabilityProbes(TargetStore targets, ProbeStore probes, HttpFetcher fetcher, IOptions<ServiceOptions> options,
    TimeProvider time, ILogger<AvailabilityProbes> logger)
{
    /// <summary>The id of the probe schedule seeded on first start.</summary>
    public const string ScheduleId = "availability-probes";

    /// <summary>One fire of the probe schedule: probes the websites that are due; returns how many were probed.</summary>
    public async Task<int> ProbeDueAsync(CancellationToken ct)
    {
        var websites = await targets.ListAsync(ct, TargetKind.Website);
        var due = Due(websites, await probes.LastProbedAsync(ct), options.Value.ProbeSlots);
        await ProbeAsync(due, ct);
        return due.Count;
    }

    /// <summary>
    /// The ⌈websites / slots⌉ websites whose last probe is oldest: never probed first, ties in a reproducible order (a stable
    /// hash of the id, then the id). Probing these each fire rotates through the registry like a queue.
    /// </summary>
    public static IReadOnlyList<Target> Due(IReadOnlyList<Target> websites, IReadOnlyDictionary<string, DateTimeOffset?> lastProbed, int slots)
    {
        var count = (websites.Count + Math.Max(1, slots) - 1) / Math.Max(1, slots);
        return websites
            .OrderBy(t => lastProbed.GetValueOrDefault(t.Id) ?? DateTimeOffset.MinValue)
            .ThenBy(t => StableHash(t.Id))
            .ThenBy(t => t.Id, StringComparer.Ordinal)
            .Take(count)
            .ToList();
    }

    /// <summary>
    /// Probes the given websites now, each once (eight at a time), stores every result and returns them in the order
    /// given. Used by the probe schedule and by <c>sitewatch probe</c>.
    /// </summary>
    public async Task<IReadOnlyList<Probe>> ProbeAsync(IReadOnlyList<Target> websites, CancellationToken ct)
    {
        var results = new Probe[websites.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, websites.Count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (i, token) =>
        {
            var target = websites[i];
            var started = time.GetTimestamp();
            var outcome = await fetcher.ProbeAsync(target.Url, token);
            var ok = !outcome.IsBroken;
            var probe = new Probe(target.Id, time.GetUtcNow(), ok, outcome.StatusCode, (long)time.GetElapsedTime(started).TotalMilliseconds, ok ? null : outcome.Message);
            await probes.AddAsync(probe, token);
            if (!ok)
            {
                logger.LogInformation("Probe of {TargetId} {Url} failed: {Reason}", target.Id, target.Url, outcome.Message);
            }

            results[i] = probe;
        });
        return results;
    }

    /// <summary>A hash of a target id that is the same in every process (string.GetHashCode differs per process).</summary>
    public static uint StableHash(string targetId) => BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes(targetId)), 0);
}
