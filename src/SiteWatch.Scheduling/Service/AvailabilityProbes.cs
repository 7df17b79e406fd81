using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;
using SiteWatch.Core.Model;
using SiteWatch.Crawling.Http;
using SiteWatch.Storage;

namespace SiteWatch.Scheduling.Service;

/// <summary>
/// Availability probes: every website's home page is fetched once per cycle of <c>Service:ProbeSlots</c> slots (a slot
/// every <c>Service:ProbeCron</c>; by default 12 slots of 6 minutes, i.e. every 72 minutes, 20 times a day), each site
/// in its own slot (a stable hash of its id), so the probes of a province are spread over the day. One GET, no
/// retries, the crawler's 15 s timeout; every result is stored for site-unreachable's 7-day rule.
/// </summary>
public sealed class AvailabilityProbes(TargetStore targets, ProbeStore probes, HttpFetcher fetcher, IOptions<ServiceOptions> options,
    TimeProvider time, ILogger<AvailabilityProbes> logger)
{
    /// <summary>Probes the websites of the slot <paramref name="at"/> falls in; returns how many were probed.</summary>
    public async Task<int> ProbeSlotAsync(DateTimeOffset at, CancellationToken ct)
    {
        var slots = Math.Max(1, options.Value.ProbeSlots);
        var slot = (int)(at.ToUnixTimeSeconds() / 60 / Math.Max(1, options.Value.ProbeSlotMinutes) % slots);
        var due = (await targets.ListAsync(ct, TargetKind.Website)).Where(t => SlotOf(t.Id, slots) == slot).ToList();
        await ProbeAsync(due, ct);
        return due.Count;
    }

    /// <summary>
    /// Probes the given websites now, each once (eight at a time), stores every result and returns them in the order
    /// given. Used by the slots and by <c>sitewatch probe</c>.
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

    /// <summary>The slot of a target: a stable hash of its id (string.GetHashCode differs per process).</summary>
    public static int SlotOf(string targetId, int slots) =>
        (int)(BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes(targetId)), 0) % (uint)slots);
}

/// <summary>The Quartz job of the probes: one slot per fire.</summary>
[DisallowConcurrentExecution]
public sealed class ProbeJob(AvailabilityProbes probes, TimeProvider time) : IJob
{
    public const string Key = "availability-probes";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct) => await probes.ProbeSlotAsync(time.GetUtcNow(), ct);
}
