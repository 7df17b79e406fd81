using SiteWatch.Core.Model;
using SiteWatch.Reports.Scoring;

namespace SiteWatch.Reports.Annual;

/// <summary>
/// Everything the annual tables (年度报表) of one calendar year are computed from, gathered by the caller from storage
/// (SiteWatch.Scheduling's AnnualReports): the year's rounds, who they inspected, what they found, where each case of
/// the correction loop stands now, and the registry at year end. <see cref="AnnualFigures.Compute"/> does the counting.
/// </summary>
/// <param name="Rounds">The rounds whose as-of falls in <paramref name="Year"/> (in the round's own offset), earliest first.</param>
/// <param name="Inspections">Every (round, target) of those rounds whose inspection is done.</param>
/// <param name="Targets">Every inspected target by id (the registry row, or a stand-in for one removed since).</param>
/// <param name="Findings">The findings of those inspections, every severity (the verdict needs them all).</param>
/// <param name="Cases">The correction cases (veto and deduct findings) of those inspections, in their state now.</param>
/// <param name="Columns">How many columns (栏目) each website inspection found (round_columns).</param>
/// <param name="Activity">Each account inspection's activity (round_accounts).</param>
/// <param name="Registry">The registry at year end: every target registered before the next year began.</param>
/// <param name="PlatformNames">Platform code → its name (crawler-rules/platforms/*.yaml <c>name</c>).</param>
/// <param name="RecentPostDays">The window of <see cref="PostActivity.RecentPosts"/> (accounts.yaml recent_post_days).</param>
public sealed record AnnualInput(
    int Year,
    IReadOnlyList<Round> Rounds,
    IReadOnlyList<RoundInspection> Inspections,
    IReadOnlyDictionary<string, Target> Targets,
    IReadOnlyList<RoundFinding> Findings,
    IReadOnlyList<Correction> Cases,
    IReadOnlyList<ColumnCount> Columns,
    IReadOnlyList<PostActivity> Activity,
    IReadOnlyList<Target> Registry,
    IReadOnlyDictionary<string, string> PlatformNames,
    int RecentPostDays,
    ScoringRules Scoring,
    string RulesVersion,
    DateTimeOffset GeneratedAt);

/// <summary>One finished inspection of a target in a round.</summary>
public sealed record RoundInspection(string RoundId, string TargetId);

/// <summary>How many columns a website inspection found.</summary>
public sealed record ColumnCount(string RoundId, string TargetId, int Columns);

/// <summary>An account inspection's activity: its newest post, the posts of the recent window, the feed's state.</summary>
public sealed record PostActivity(string RoundId, string TargetId, DateTimeOffset? NewestPost, int RecentPosts, string State);
