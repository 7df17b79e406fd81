namespace SiteWatch.Core.Model;

/// <summary>How heavily a finding weighs in the verdict (checks.md, "Verdict").</summary>
public enum Severity
{
    /// <summary>提示: recorded, never counted against the target.</summary>
    Notice,

    /// <summary>扣分: lowers the target's score.</summary>
    Deduct,

    /// <summary>单项否决: the target is 不合格 on this alone.</summary>
    Veto,
}

public static class Severities
{
    public static string ToCode(this Severity s) => s switch
    {
        Severity.Veto => "veto",
        Severity.Deduct => "deduct",
        _ => "notice",
    };

    public static Severity Parse(string code) => code switch
    {
        "veto" => Severity.Veto,
        "deduct" => Severity.Deduct,
        "notice" => Severity.Notice,
        _ => throw new FormatException($"unknown severity '{code}' (expected veto, deduct or notice)"),
    };
}

/// <summary>
/// One problem a check found on one target, keyed by (round, target, check, subject).
/// <see cref="Url"/> is the page where it was first seen; <see cref="Subject"/> the offending thing.
/// </summary>
public sealed record Finding
{
    public required string Check { get; init; }
    public required Severity Severity { get; init; }
    public required string Url { get; init; }
    public required string Subject { get; init; }
    public required string Detail { get; init; }
    public int Occurrences { get; init; } = 1;
    public required DateTimeOffset ObservedAt { get; init; }

    /// <summary>Short evidence an inspector can show a webmaster (HTTP status line, redirect chain, snippet).</summary>
    public string? Evidence { get; init; }
}

/// <summary>A finding as stored for a round, with its keys.</summary>
public sealed record RoundFinding(string RoundId, string TargetId, TargetKind Kind, Finding Finding)
{
    /// <summary>The stored finding's number (what a webmaster quotes to mark it fixed); null before it is stored.</summary>
    public long? Id { get; init; }
}
