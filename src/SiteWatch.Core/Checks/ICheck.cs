using SiteWatch.Core.Model;

using SiteWatch.Core.Rules;

namespace SiteWatch.Core.Checks;

/// <summary>
/// One inspection rule of checks.md. A check is stateless; <see cref="Begin"/> opens a session for one
/// target in one round, which sees every crawled page and then the crawl summary.
/// </summary>
public interface ICheck
{
    /// <summary>Stable code used in findings, reports and the database, e.g. <c>dead-link</c>.</summary>
    string Key { get; }

    /// <summary>Chinese name shown to people, e.g. 链接不可用.</summary>
    string DisplayName { get; }

    TargetKind Kind { get; }

    /// <summary>Whether the check judges targets of <paramref name="kind"/>; by default only its own <see cref="Kind"/>.</summary>
    bool AppliesTo(TargetKind kind) => kind == Kind;

    ICheckSession Begin(CheckContext context);
}

/// <summary>One target's run of a check. Pages arrive one at a time and are not kept by the crawler.</summary>
public interface ICheckSession
{
    /// <summary>Called for every crawled page, in crawl order, on one thread at a time.</summary>
    void OnPage(CrawledPage page);

    CheckResult Complete(SiteCrawl crawl);
}

/// <param name="Registry">Other targets of the registry the check may compare with (for accounts: the same organization's accounts).</param>
public sealed record CheckContext(Target Target, Round Round, RuleSet Rules, IReadOnlyList<Target>? Registry = null);

/// <summary>Passed, Flagged(findings) or Skipped(reason): a check that cannot decide says why.</summary>
public sealed record CheckResult
{
    private CheckResult(CheckOutcome outcome, IReadOnlyList<Finding> findings, string? reason)
    {
        Outcome = outcome;
        Findings = findings;
        SkipReason = reason;
    }

    public CheckOutcome Outcome { get; }
    public IReadOnlyList<Finding> Findings { get; }
    public string? SkipReason { get; }

    public static CheckResult Passed { get; } = new(CheckOutcome.Passed, [], null);

    public static CheckResult Flagged(IReadOnlyList<Finding> findings) =>
        findings.Count == 0 ? Passed : new(CheckOutcome.Flagged, findings, null);

    public static CheckResult Skipped(string reason) => new(CheckOutcome.Skipped, [], reason);
}

public enum CheckOutcome
{
    Passed,
    Flagged,
    Skipped,
}
