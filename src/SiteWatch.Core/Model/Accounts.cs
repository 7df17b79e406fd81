namespace SiteWatch.Core.Model;

/// <summary>One post of a new-media account as its platform shows it.</summary>
public sealed record Post
{
    /// <summary>The platform's id of the post, when it has one.</summary>
    public string? Id { get; init; }

    /// <summary>When it was published; null when the platform shows no time (such a post never counts as an update).</summary>
    public DateTimeOffset? PublishedAt { get; init; }

    public string? Title { get; init; }

    /// <summary>The post's text (plain, or HTML as the feed carries it), for serious-error.</summary>
    public string? Text { get; init; }

    public string? Url { get; init; }

    /// <summary>Pinned to the top (置顶): shown first whatever its age, so never the newest post.</summary>
    public bool Pinned { get; init; }
}

/// <summary>How reading an account ended.</summary>
public enum FeedState
{
    /// <summary>Read; <see cref="AccountFeed.Posts"/> is what the platform shows (possibly none).</summary>
    Ok,

    /// <summary>The account page, feed or API answered 404/410: the account is gone.</summary>
    Gone,

    /// <summary>The platform says the account was closed, banned, renamed or does not exist (账号已注销/不存在/被封).</summary>
    Closed,

    /// <summary>Could not be read after bounded retries (network, 5xx, malformed feed).</summary>
    Unreadable,

    /// <summary>The platform throttled us (418/429) on every try: not judged, retried later in the round.</summary>
    Throttled,
}

/// <summary>What an adapter read of one account.</summary>
public sealed record AccountFeed
{
    public required string Url { get; init; }

    public required FeedState State { get; init; }

    /// <summary>Plain words for a state other than Ok (e.g. "HTTP 404", "the page says 该账号已注销", "not a feed: …").</summary>
    public string? Message { get; init; }

    public int? StatusCode { get; init; }

    public IReadOnlyList<Post> Posts { get; init; } = [];
}

/// <summary>
/// Reads an account's recent posts through one adapter kind (rss, weibo, html, browser). Never throws for what the
/// platform answers: gone, closed, throttled and unreadable are states of the result. Throws only OperationCanceledException.
/// </summary>
public interface IAccountReader
{
    /// <summary>The adapter kind this reader implements, as named by <c>adapter:</c> in crawler-rules/platforms/*.yaml.</summary>
    string Adapter { get; }

    Task<AccountFeed> ReadAsync(Target account, Rules.PlatformRules platform, CancellationToken ct);
}
