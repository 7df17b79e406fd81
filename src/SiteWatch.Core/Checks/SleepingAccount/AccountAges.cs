using SiteWatch.Core.Model;

namespace SiteWatch.Core.Checks.SleepingAccount;

/// <summary>The age of an account's newest post, shared by sleeping-account and zombie-account.</summary>
public static class AccountAges
{
    /// <summary>The newest post that is not pinned and has a time, or null when there is none.</summary>
    public static Post? Newest(AccountFeed feed) =>
        feed.Posts.Where(p => !p.Pinned && p.PublishedAt is not null).MaxBy(p => p.PublishedAt);

    /// <summary>Whole days from the post to as-of, counted on the calendar of as-of's offset.</summary>
    public static int DaysBefore(DateTimeOffset published, DateTimeOffset asOf) =>
        DateOnly.FromDateTime(asOf.DateTime).DayNumber - DateOnly.FromDateTime(published.ToOffset(asOf.Offset).DateTime).DayNumber;
}
