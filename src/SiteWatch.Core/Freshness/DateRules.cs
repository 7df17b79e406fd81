namespace SiteWatch.Core.Freshness;

/// <summary>
/// What <see cref="PublishDates"/> accepts as a publication date. A plain record so that the rules loader can
/// fill it from crawler-rules later; the defaults are the ones the checks use today.
/// </summary>
public sealed record DateRules
{
    /// <summary>A date later than the round's as-of date plus this many days is rejected (clock skew, time zones).</summary>
    public int FutureToleranceDays { get; init; } = 2;

    /// <summary>Dates in earlier years are not publication dates (founding years, regulation numbers).</summary>
    public int OldestYear { get; init; } = 1990;
}
