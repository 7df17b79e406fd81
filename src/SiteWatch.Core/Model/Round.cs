namespace SiteWatch.Core.Model;

public enum RoundStatus
{
    Running,
    Complete,
}

/// <summary>An inspection round (检查轮次): a sample of targets inspected at one monitoring time point.</summary>
public sealed record Round
{
    public required string Id { get; init; }
    public required TargetKind Kind { get; init; }
    public required DateTimeOffset AsOf { get; init; }

    /// <summary>The calendar day of <see cref="AsOf"/> in its own offset: the day every age in days is counted from.</summary>
    public DateOnly AsOfDay => DateOnly.FromDateTime(AsOf.DateTime);
    public required double SampleFraction { get; init; }
    public required int Seed { get; init; }
    public required RoundStatus Status { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
}

public enum RoundTargetStatus
{
    Pending,
    Running,
    Done,
}

/// <summary>Progress of one target inside a round; what makes a round resumable.</summary>
public sealed record RoundTarget(string RoundId, string TargetId, RoundTargetStatus Status, int Pages, string? Error);
