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
}

/// <summary>Crawls one target and runs every check that applies to it. A failing check never loses the others.</summary>
public sealed class TargetInspector(SiteCrawler crawler, RuleSet rules, IEnumerable<ICheck> checks, ILogger<TargetInspector> logger,
    Lazy<IPageRenderer>? renderer = null)
{
    public CrawlCounters Counters { get; } = new();

    public async Task<Inspection> InspectAsync(Target target, Round round, CancellationToken ct)
    {
        var context = new CheckContext(target, round, rules);
        var sessions = checks.Where(c => c.Kind == target.Kind)
            .Select(c => (Check: c, Session: c.Begin(context), Failed: (string?)null))
            .ToArray();
        var pages = new List<PageRecord>();
        var columns = new ColumnCollector(rules.Columns, target, round.AsOf);
        var crawl = await crawler.CrawlAsync(target.Url, page =>
        {
            try
            {
                columns.OnPage(page);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Could not read the columns of {Url} of {TargetId}", page.Url, target.Id);
            }

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
        }, Counters, ct);
        crawl = crawl with { Columns = await columns.CompleteAsync(renderer is null ? null : new DeferredRenderer(renderer), ct) };

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
                findings.Add(new Finding
                {
                    Check = "not-checked",
                    Severity = Severity.Notice,
                    Url = crawl.HomeUrl,
                    Subject = crawl.HomeUrl,
                    Detail = detail,
                    ObservedAt = round.AsOf,
                });
            }
        }

        var note = crawl.Truncations.Count > 0 ? string.Join("; ", crawl.Truncations) : null;
        return new Inspection(findings, pages, note) { Columns = crawl.Columns.Columns };
    }
}

/// <summary>Opens the browser only when a column page really needs rendering.</summary>
internal sealed class DeferredRenderer(Lazy<IPageRenderer> renderer) : IPageRenderer
{
    public Task<RenderedPage> RenderAsync(string url, CancellationToken ct) => renderer.Value.RenderAsync(url, ct);
}
