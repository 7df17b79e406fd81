using Microsoft.Extensions.Logging;
using SiteWatch.Core.Checks;
using SiteWatch.Core.Freshness;
using SiteWatch.Core.Model;
using SiteWatch.Core.Rules;
using SiteWatch.Crawling.Site;
using SiteWatch.Storage;

namespace SiteWatch.Scheduling;

/// <summary>What inspecting one target produced.</summary>
public sealed record Inspection(IReadOnlyList<Finding> Findings, IReadOnlyList<PageRecord> Pages, string? Error)
{
    /// <summary>The columns found on a website (empty for accounts).</summary>
    public IReadOnlyList<Column> Columns { get; init; } = [];

    /// <summary>For an account: its newest post and how many posts it made recently, for the reports.</summary>
    public AccountActivity? Activity { get; init; }

    /// <summary>The platform throttled us on every try: inspect the target again later in the round.</summary>
    public bool RetryLater { get; init; }
}

/// <summary>Crawls one target and runs every check that applies to it. A failing check never loses the others.</summary>
public sealed class TargetInspector(SiteCrawler crawler, RuleSet rules, IEnumerable<ICheck> checks, ILogger<TargetInspector> logger,
    Lazy<IPageRenderer>? renderer = null, IEnumerable<IAccountReader>? readers = null, TargetStore? registry = null, ProbeStore? probes = null)
{
    public CrawlCounters Counters { get; } = new();

    private async Task<(AccountFeed? Feed, string? Unsupported)> ReadAccountAsync(Target target, CancellationToken ct)
    {
        if (target.Platform is not { } code || !rules.Platforms.TryGetValue(code, out var platform))
        {
            return (null, $"platform '{target.Platform}' has no file in crawler-rules/platforms/; add one or correct the registry");
        }

        if (platform.UrlTemplate?.Contains("{rsshub}", StringComparison.Ordinal) == true)
        {
            return (null, $"platform '{code}' is read through RSSHub: set Accounts:RssHub to your RSSHub instance (see crawler-rules/platforms/README.md)");
        }

        if (readers?.FirstOrDefault(r => r.Adapter == platform.Adapter) is not { } reader)
        {
            return (null, $"no adapter '{platform.Adapter}' for platform '{code}'");
        }

        Counters.AddPage();
        return (await reader.ReadAsync(target, platform, ct), null);
    }

    private static Finding NotChecked(string url, Round round, string why) => new()
    {
        Check = "not-checked",
        Severity = Severity.Notice,
        Url = url,
        Subject = url,
        Detail = why,
        ObservedAt = round.AsOf,
    };

    public async Task<Inspection> InspectAsync(Target target, Round round, CancellationToken ct)
    {
        IReadOnlyList<Target>? siblings = null;
        if (target is { Kind: TargetKind.Account, Platform: { } platform } && registry is not null)
        {
            // Only what duplicate-account compares with: the same organization's accounts on the same platform.
            siblings = await registry.AccountsOfAsync(target.Organization, platform, ct);
        }

        var context = new CheckContext(target, round, rules, siblings);
        var sessions = checks.Where(c => c.AppliesTo(target.Kind))
            .Select(c => (Check: c, Session: c.Begin(context), Failed: (string?)null))
            .ToArray();
        var pages = new List<PageRecord>();
        void OnPage(CrawledPage page)
        {
            pages.Add(new PageRecord(page.Url, page.Depth, page.Outcome.State.ToString(), page.Outcome.StatusCode,
                page.Outcome.ContentType, page.Bytes, (long)page.Elapsed.TotalMilliseconds));
            for (var i = 0; i < sessions.Length; i++)
            {
                if (sessions[i].Failed is not null)
                {
                    continue;
                }

                try
                {
                    sessions[i].Session.OnPage(page);
                }
                catch (Exception e)
                {
                    sessions[i].Failed = e.Message;
                    logger.LogError(e, "Check {Check} failed on {Url} of {TargetId}", sessions[i].Check.Key, page.Url, target.Id);
                }
            }
        }

        SiteCrawl crawl;
        AccountActivity? activity = null;
        if (target.Kind == TargetKind.Account)
        {
            var (feed, unsupported) = await ReadAccountAsync(target, ct);
            if (unsupported is not null)
            {
                return new Inspection([NotChecked(target.Url, round, unsupported)], [], unsupported);
            }

            if (feed!.State == FeedState.Throttled)
            {
                return new Inspection([NotChecked(target.Url, round, $"the platform throttled every request: {feed.Message}")], [], feed.Message) { RetryLater = true };
            }

            // Each post is handed to the page checks (serious-error) as a page of its own.
            foreach (var post in feed.Posts)
            {
                using var document = PostDocuments.Parse(post);
                OnPage(new CrawledPage { Url = post.Url ?? feed.Url, Depth = 1, Outcome = FetchOutcome.Ok(200), Document = document });
            }

            crawl = new SiteCrawl
            {
                HomeUrl = feed.Url,
                HomeOutcome = feed.State == FeedState.Ok ? FetchOutcome.Ok(200) : new FetchOutcome(FetchState.NotChecked, feed.StatusCode, feed.Message ?? feed.State.ToString()),
                Links = [],
                Feed = feed,
            };
            activity = AccountActivity.Of(feed, round.AsOf, rules.Accounts.RecentPostDays);
        }
        else
        {
            var columns = new ColumnCollector(rules.Columns, target, round.AsOf);
            crawl = await crawler.CrawlAsync(target.Url, page =>
            {
                try
                {
                    columns.OnPage(page);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Could not read the columns of {Url} of {TargetId}", page.Url, target.Id);
                }

                OnPage(page);
            }, Counters, ct);
            crawl = crawl with { Columns = await columns.CompleteAsync(renderer is null ? null : new DeferredRenderer(renderer), ct) };
            if (probes is not null)
            {
                var window = TimeSpan.FromDays(rules.SiteUnreachable.ProbeWindowDays);
                try
                {
                    crawl = crawl with { Availability = await probes.WindowAsync(target.Id, round.AsOf - window, round.AsOf, ct) };
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Without the history the inspection-time rule judges; the inspection itself goes on.
                    logger.LogWarning(e, "Could not read the probe history of {TargetId}", target.Id);
                }
            }
        }

        var findings = new List<Finding>();
        var skipped = new List<string>();
        foreach (var (check, session, failed) in sessions)
        {
            CheckResult result;
            try
            {
                result = failed is null ? session.Complete(crawl) : CheckResult.Skipped($"failed: {failed}");
            }
            catch (Exception e)
            {
                logger.LogError(e, "Check {Check} failed to complete on {TargetId}", check.Key, target.Id);
                result = CheckResult.Skipped($"failed: {e.Message}");
            }

            findings.AddRange(result.Findings);
            if (result.Outcome == CheckOutcome.Skipped)
            {
                skipped.Add($"{check.Key}: {result.SkipReason}");
            }
        }

        if (skipped.Count > 0)
        {
            // One not-checked notice per target and subject: join onto the crawl's own, if any.
            var detail = "checks that could not decide: " + string.Join("; ", skipped);
            var existing = findings.FindIndex(f => f.Check == "not-checked" && f.Subject == crawl.HomeUrl);
            if (existing >= 0)
            {
                findings[existing] = findings[existing] with { Detail = findings[existing].Detail + "; " + detail };
            }
            else
            {
                findings.Add(NotChecked(crawl.HomeUrl, round, detail));
            }
        }

        var note = crawl.Truncations.Count > 0 ? string.Join("; ", crawl.Truncations) : null;
        return new Inspection(findings, pages, note) { Columns = crawl.Columns.Columns, Activity = activity };
    }
}

/// <summary>How an account was active: its newest post (pinned ones aside) and its posts in the recent window.</summary>
public sealed record AccountActivity(DateTimeOffset? NewestPost, int RecentPosts, int PostsRead, string State)
{
    public static AccountActivity Of(AccountFeed feed, DateTimeOffset asOf, int recentDays)
    {
        var dated = feed.Posts.Where(p => !p.Pinned && p.PublishedAt is not null).Select(p => p.PublishedAt!.Value).ToList();
        var since = asOf.AddDays(-recentDays);
        return new AccountActivity(dated.Count == 0 ? null : dated.Max(), dated.Count(d => d > since && d <= asOf.AddDays(1)), feed.Posts.Count,
            feed.State.ToString());
    }
}

/// <summary>Opens the browser only when a column page really needs rendering.</summary>
internal sealed class DeferredRenderer(Lazy<IPageRenderer> renderer) : IPageRenderer
{
    public Task<RenderedPage> RenderAsync(string url, CancellationToken ct) => renderer.Value.RenderAsync(url, ct);
}
