namespace SiteWatch.Core.Model;

/// <summary>Where a finding stands in the correction loop (整改).</summary>
public enum CorrectionState
{
    /// <summary>发现: recorded by a round; no notice issued yet.</summary>
    Found,

    /// <summary>已通知: a correction notice (整改通知) was issued, with a deadline.</summary>
    Notified,

    /// <summary>已整改待复查: the webmaster says it is fixed; a re-check will tell.</summary>
    Claimed,

    /// <summary>复查通过: a re-check no longer finds it. Closed.</summary>
    Verified,

    /// <summary>复查未通过: a re-check after a claim still finds it; open again with the fresh evidence.</summary>
    Reopened,

    /// <summary>已被新轮次取代: a later round inspected the target; its findings carry on. Closed.</summary>
    Superseded,
}

public static class CorrectionStates
{
    public static string ToCode(this CorrectionState state) => state switch
    {
        CorrectionState.Found => "found",
        CorrectionState.Notified => "notified",
        CorrectionState.Claimed => "claimed",
        CorrectionState.Verified => "verified",
        CorrectionState.Reopened => "reopened",
        _ => "superseded",
    };

    public static CorrectionState Parse(string code) => code switch
    {
        "found" => CorrectionState.Found,
        "notified" => CorrectionState.Notified,
        "claimed" => CorrectionState.Claimed,
        "verified" => CorrectionState.Verified,
        "reopened" => CorrectionState.Reopened,
        "superseded" => CorrectionState.Superseded,
        _ => throw new FormatException($"unknown correction state '{code}'"),
    };

    public static string DisplayName(this CorrectionState state) => state switch
    {
        CorrectionState.Found => "发现 found",
        CorrectionState.Notified => "已通知 notified",
        CorrectionState.Claimed => "已整改待复查 claimed fixed",
        CorrectionState.Verified => "复查通过 verified",
        CorrectionState.Reopened => "复查未通过 reopened",
        _ => "已被新轮次取代 superseded",
    };

    public static bool IsOpen(this CorrectionState state) => state is not (CorrectionState.Verified or CorrectionState.Superseded);

    /// <summary>China Standard Time: UTC+8 all year (no daylight saving), where every notice is issued and answered.</summary>
    public static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    /// <summary>The calendar day that deadlines are counted in (China Standard Time).</summary>
    public static DateOnly Today(DateTimeOffset now) => DateOnly.FromDateTime(now.ToOffset(ChinaOffset).DateTime);
}

/// <summary>A veto or deduct finding in the correction loop: the finding as its round recorded it, and where it stands.</summary>
/// <param name="FindingId">The finding's stable number (what a webmaster quotes and `sitewatch fixed` takes).</param>
/// <param name="Due">The notice's deadline (a calendar day), once notified.</param>
/// <param name="LastCheck">What the last re-check concluded, in words (also when it could not decide).</param>
public sealed record Correction(
    long FindingId,
    string RoundId,
    string TargetId,
    Finding Finding,
    CorrectionState State,
    DateOnly? Due,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? CheckedAt,
    string? LastCheck,
    DateTimeOffset? ClosedAt)
{
    /// <summary>Open past its deadline on <paramref name="today"/> (the deadline day itself is still in time).</summary>
    public bool IsOverdue(DateOnly today) => State.IsOpen() && Due is { } due && today > due;
}

/// <summary>One step of a correction's history.</summary>
/// <param name="Actor">A user name, or <c>sitewatch</c> for rounds and re-checks.</param>
/// <param name="Detail">For a re-check: what it found (fresh detail), or why it closed the case.</param>
public sealed record CorrectionEvent(long FindingId, CorrectionState State, DateTimeOffset At, string Actor, string? Comment, string? Detail, string? Evidence);

/// <summary>
/// Asks for a re-check of one target's open corrections (the service puts a Hangfire job on the queue). A port so the
/// web pages can ask without knowing the scheduler.
/// </summary>
public interface IRecheckQueue
{
    void Enqueue(string targetId);
}
