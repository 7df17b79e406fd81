using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SiteWatch.Core.Model;
using SiteWatch.Crawling;
using SiteWatch.Crawling.Site;
using SiteWatch.Storage;

namespace SiteWatch.Scheduling;

/// <summary>What to inspect: the arguments of <c>sitewatch inspect</c>.</summary>
public sealed record RoundRequest
{
    public string? RoundId { get; init; }
    public TargetKind Kind { get; init; } = TargetKind.Website;
    public double SampleFraction { get; init; } = 0.3;
    public bool All { get; init; }
    public int Seed { get; init; }
    public IReadOnlyList<string> TargetIds { get; init; } = [];
    public required DateTimeOffset AsOf { get; init; }
}

/// <summary>A snapshot for the progress line.</summary>
public sealed record RoundProgress(string RoundId, int TargetsDone, int TargetsTotal, long Pages, long Links, int Findings, TimeSpan Elapsed);

/// <summary>
/// Creates or resumes a round and inspects every target not yet done. The same runner serves the CLI and
/// the service, so the two can never disagree. Per-target results land atomically with the target's
/// 'done' mark: a kill loses at most the targets in flight, which the next run inspects again.
/// </summary>
public sealed class RoundRunner(
    TargetStore targets,
    RoundStore rounds,
    TargetInspector inspector,
    LinkCache linkCache,
    IOptions<CrawlerOptions> crawlerOptions,
    TimeProvider time,
    ILogger<RoundRunner> logger,
    SiteWatch.Core.Rules.RuleSet? rules = null)
{
    /// <summary>Finds the round to resume or creates a new one with its sample. Throws <see cref="RoundException"/> on bad requests.</summary>
    public async Task<Round> PrepareAsync(RoundRequest request, CancellationToken ct)
    {
        if (request.RoundId is { } id && await rounds.GetAsync(id, ct) is { } existing)
        {
            if (existing.Kind != request.Kind)
            {
                throw new RoundException($"round {id} inspects {existing.Kind.ToCode()}s, not {request.Kind.ToCode()}s");
            }

            logger.LogInformation("Resuming round {RoundId} (as of {AsOf})", existing.Id, existing.AsOf);
            return existing;
        }

        if (request.RoundId is null && request.TargetIds.Count == 0 && await rounds.LatestRunningAsync(request.Kind, ct) is { } unfinished)
        {
            // Running `inspect` again after a kill carries on where it stopped.
            logger.LogInformation("Resuming unfinished round {RoundId} (as of {AsOf})", unfinished.Id, unfinished.AsOf);
            return unfinished;
        }

        var registry = await targets.ListAsync(ct, request.Kind);
        IReadOnlyList<Target> sample;
        double fraction;
        if (request.TargetIds.Count > 0)
        {
            var byId = registry.ToDictionary(t => t.Id, StringComparer.Ordinal);
            var missing = request.TargetIds.Where(t => !byId.ContainsKey(t)).ToList();
            if (missing.Count > 0)
            {
                throw new RoundException($"no {request.Kind.ToCode()} target with id {string.Join(", ", missing)} in the registry (see `sitewatch targets list`)");
            }

            sample = request.TargetIds.Distinct(StringComparer.Ordinal).Select(t => byId[t]).ToList();
            fraction = registry.Count == 0 ? 1 : (double)sample.Count / registry.Count;
        }
        else
        {
            if (registry.Count == 0)
            {
                throw new RoundException($"the registry has no {request.Kind.ToCode()} targets; import some with `sitewatch targets import FILE`");
            }

            fraction = request.All ? 1.0 : request.SampleFraction;
            if (fraction < 0.3 || fraction > 1)
            {
                throw new RoundException($"--sample {fraction.ToString(CultureInfo.InvariantCulture)} is outside 0.3..1 (the rules require at least 30 % per round)");
            }

            // Every target is seen at least once a year: one left out of the last three rounds is always drawn.
            var (previous, seen) = await rounds.RecentTargetIdsAsync(request.Kind, 3, ct);
            var overdue = previous >= 3 ? registry.Select(t => t.Id).Where(id => !seen.Contains(id)).ToHashSet(StringComparer.Ordinal) : null;
            sample = Sampler.Draw(registry, fraction, request.Seed, overdue);
        }

        var round = new Round
        {
            Id = request.RoundId ?? await NextIdAsync(request.AsOf, ct),
            Kind = request.Kind,
            AsOf = request.AsOf,
            SampleFraction = fraction,
            Seed = request.Seed,
            Status = RoundStatus.Running,
            CreatedAt = time.GetUtcNow(),
        };
        await rounds.CreateAsync(round, sample.Select(t => t.Id).ToList(), ct);
        logger.LogInformation("Created round {RoundId}: {Count} of {Registry} {Kind} targets, seed {Seed}",
            round.Id, sample.Count, registry.Count, request.Kind.ToCode(), request.Seed);
        return round;
    }

    /// <summary>Inspects every target of the round that is not done; returns true when the round is complete.</summary>
    public async Task<bool> RunAsync(Round round, IProgress<RoundProgress>? progress, CancellationToken ct)
    {
        var all = await rounds.TargetsAsync(round.Id, ct);
        var open = all.Where(t => t.Status != RoundTargetStatus.Done).Select(t => t.TargetId).ToList();
        var registry = await targets.GetManyAsync(open, ct);
        var done = all.Count - open.Count;
        var findings = 0;
        var started = time.GetTimestamp();
        void Report() => progress?.Report(new RoundProgress(round.Id, Volatile.Read(ref done), all.Count,
            inspector.Counters.Pages, inspector.Counters.Links, Volatile.Read(ref findings), time.GetElapsedTime(started)));

        using var ticker = progress is null ? null : new Timer(_ => Report(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(500));
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = crawlerOptions.Value.ParallelTargets, CancellationToken = ct };
        var accounts = AccountRules;

        // Targets a platform throttled on every try are tried again after the others, a few times, then recorded as
        // not checked: a throttled read is never a finding.
        var pending = open;
        for (var attempt = 0; pending.Count > 0; attempt++)
        {
            var lastChance = attempt >= accounts.RetryLaterTimes;
            var later = new System.Collections.Concurrent.ConcurrentQueue<string>();
            await Parallel.ForEachAsync(pending, parallel, async (targetId, token) =>
            {
                var inspection = await InspectOneAsync(round, targetId, registry, token);
                if (inspection.RetryLater && !lastChance)
                {
                    logger.LogInformation("Throttled on {TargetId}; trying again later in round {RoundId}", targetId, round.Id);
                    later.Enqueue(targetId);
                    return;
                }

                await CompleteAsync(round, targetId, inspection, token);
                Interlocked.Add(ref findings, inspection.Findings.Count);
                Interlocked.Increment(ref done);
                logger.LogInformation("Finished {TargetId}: {Pages} pages, {Findings} findings", targetId, inspection.Pages.Count, inspection.Findings.Count);
                Report();
            });

            pending = [.. later];
            if (pending.Count > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(accounts.RetryLaterSeconds), time, ct);
            }
        }

        Report();

        // Outcomes are valid for one round only: the next round looks again.
        linkCache.Clear();
        return await rounds.TryCompleteAsync(round.Id, null, ct);
    }

    /// <summary>
    /// Inspects one target of a round and records it done (the service's job); returns how long to wait before
    /// trying again when the platform throttled it and this is not its last chance.
    /// </summary>
    public async Task<TimeSpan?> InspectTargetAsync(Round round, string targetId, int attempt, CancellationToken ct)
    {
        var registry = await targets.GetManyAsync([targetId], ct);
        var inspection = await InspectOneAsync(round, targetId, registry, ct);
        if (inspection.RetryLater && attempt < AccountRules.RetryLaterTimes)
        {
            return TimeSpan.FromSeconds(AccountRules.RetryLaterSeconds);
        }

        await CompleteAsync(round, targetId, inspection, ct);
        return null;
    }

    /// <summary>How often and how late a throttled account is tried again (crawler-rules/accounts.yaml), for the CLI and the service alike.</summary>
    private SiteWatch.Core.Rules.AccountRules AccountRules => rules?.Accounts ?? new SiteWatch.Core.Rules.AccountRules();

    private async Task CompleteAsync(Round round, string targetId, Inspection inspection, CancellationToken ct)
    {
        await rounds.CompleteTargetAsync(round.Id, targetId, inspection.Findings, inspection.Pages, inspection.Error, ct, inspection.Columns);
        if (inspection.Activity is { } activity)
        {
            await rounds.SaveAccountActivityAsync(round.Id, targetId, activity.NewestPost, activity.RecentPosts, activity.PostsRead, activity.State, ct);
        }
    }

    private async Task<Inspection> InspectOneAsync(Round round, string targetId, IReadOnlyDictionary<string, Target> registry, CancellationToken token)
    {
        await rounds.StartTargetAsync(round.Id, targetId, token);
        if (!registry.TryGetValue(targetId, out var target))
        {
            return new Inspection([], [], "target was removed from the registry after the round was drawn");
        }

        logger.LogInformation("Inspecting {TargetId} {Url} in round {RoundId}", target.Id, target.Url, round.Id);
        try
        {
            return await inspector.InspectAsync(target, round, token);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A defect of ours must not sink the round: the target is recorded as not judged, with why.
            logger.LogError(e, "Inspection of {TargetId} failed", target.Id);
            return new Inspection([new Finding
            {
                Check = "not-checked",
                Severity = Severity.Notice,
                Url = target.Url,
                Subject = target.Url,
                Detail = $"inspection failed: {e.Message}; see the log and inspect this target again",
                ObservedAt = round.AsOf,
            }], [], e.Message);
        }
    }

    /// <summary>The quarter of the as-of time (2026Q4); later rounds in the same quarter get -2, -3 …</summary>
    private async Task<string> NextIdAsync(DateTimeOffset asOf, CancellationToken ct)
    {
        var quarter = $"{asOf.Year}Q{(asOf.Month - 1) / 3 + 1}";
        var taken = (await rounds.IdsStartingWithAsync(quarter, ct)).ToHashSet(StringComparer.Ordinal);
        if (!taken.Contains(quarter))
        {
            return quarter;
        }

        for (var n = 2; ; n++)
        {
            if (!taken.Contains($"{quarter}-{n}"))
            {
                return $"{quarter}-{n}";
            }
        }
    }
}

/// <summary>A request that cannot be carried out; the message is the one line shown to the user.</summary>
public sealed class RoundException(string message) : Exception(message);
