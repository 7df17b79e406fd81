using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SiteWatch.Core.Model;
using SiteWatch.Core.Rules;
using SiteWatch.Crawling.Http;

namespace SiteWatch.Crawling.Accounts;

/// <summary>What <see cref="AccountFetcher.FetchAsync"/> got: the body of the account's feed, page or API answer, or the feed to return instead.</summary>
public sealed record AccountFetch(string Url, AccountFeed? Failure, byte[]? Body = null, string? ContentType = null, string? FinalUrl = null, int? StatusCode = null)
{
    [MemberNotNullWhen(false, nameof(Failure))]
    [MemberNotNullWhen(true, nameof(Body))]
    public bool Succeeded => Failure is null && Body is not null;
}

/// <summary>
/// What the HTTP readers share: where an account is read, platform pacing, the platform's throttling policy and the
/// mapping of answers to <see cref="FeedState"/>.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>418 and 429 (and answers the reader recognises as throttling, e.g. Weibo's login wall): wait and ask again up
/// to <see cref="PlatformRules.Retries"/> times, waiting <see cref="PlatformRules.RetryBaseSeconds"/> doubled each time,
/// or the Retry-After when longer; a Retry-After beyond <c>Crawler:MaxRetryAfterSeconds</c> (or beyond the wait we
/// would do anyway, whichever is longer) ends the tries. Still throttled → <see cref="FeedState.Throttled"/>. Every
/// try goes through <see cref="PlatformLimiter"/>.</item>
/// <item>404/410 → <see cref="FeedState.Gone"/>.</item>
/// <item>Other 4xx/5xx, network errors, timeouts, TLS failures, redirect loops and too-large bodies, after the
/// fetcher's own retries of 5xx and resets → <see cref="FeedState.Unreadable"/> with the fetcher's message.</item>
/// </list>
/// Closed phrases (<see cref="PlatformRules.ClosedPhrases"/>) are not looked for here: a feed of posts may quote them
/// ("如何注销账号"), so each reader looks for them only where the platform itself speaks — an error payload, a body that is
/// not a feed, the page outside its posts — with <see cref="ClosedPhrase"/>.
/// </remarks>
public sealed class AccountFetcher(HttpFetcher fetcher, PlatformLimiter limiter, IOptions<CrawlerOptions> crawler, TimeProvider time,
    ILogger<AccountFetcher> logger)
{
    private readonly TimeSpan maxRetryAfter = TimeSpan.FromSeconds(crawler.Value.MaxRetryAfterSeconds);

    /// <summary>
    /// The URL to read: <see cref="PlatformRules.UrlTemplate"/> with <c>{account}</c> (escaped as a URL component) and
    /// <c>{url}</c> (as given when the template starts with it, escaped when it is a parameter of another URL), else
    /// the registry's url. Null with a reason when the registry row lacks what the template needs.
    /// </summary>
    public static string? ResolveUrl(Target account, PlatformRules platform, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(platform);
        problem = null;
        var template = platform.UrlTemplate?.Trim();
        if (string.IsNullOrEmpty(template))
        {
            return account.Url;
        }

        if (template.Contains("{account}", StringComparison.Ordinal))
        {
            if (string.IsNullOrWhiteSpace(account.Account))
            {
                problem = $"the registry gives no account id, which platform {platform.Key} needs for {template}";
                return null;
            }

            template = template.Replace("{account}", Uri.EscapeDataString(account.Account.Trim()), StringComparison.Ordinal);
        }

        if (template.StartsWith("{url}", StringComparison.Ordinal))
        {
            template = account.Url.Trim() + template["{url}".Length..];
        }

        return template.Replace("{url}", Uri.EscapeDataString(account.Url.Trim()), StringComparison.Ordinal);
    }

    /// <summary>The first of <paramref name="phrases"/> that <paramref name="text"/> contains, or null.</summary>
    public static string? ClosedPhrase(string? text, IEnumerable<string> phrases)
    {
        ArgumentNullException.ThrowIfNull(phrases);
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return phrases.FirstOrDefault(p => !string.IsNullOrWhiteSpace(p) && text.Contains(p, StringComparison.Ordinal));
    }

    /// <summary>A feed in a state other than Ok.</summary>
    public static AccountFeed Failed(string url, FeedState state, string message, int? statusCode = null) =>
        new() { Url = url, State = state, Message = message, StatusCode = statusCode };

    /// <summary>
    /// Fetches the account's URL under the platform's pacing and throttling policy. <paramref name="throttledBody"/>
    /// may name a successful answer that means "throttled" all the same (a login wall); it returns the reason, or
    /// null when the answer is a real one.
    /// </summary>
    public async Task<AccountFetch> FetchAsync(Target account, PlatformRules platform, Func<AccountFetch, string?>? throttledBody, CancellationToken ct)
    {
        var url = ResolveUrl(account, platform, out var problem);
        if (url is null)
        {
            return new AccountFetch(account.Url, Failed(account.Url, FeedState.Unreadable, problem!));
        }

        for (var attempt = 0; ; attempt++)
        {
            await limiter.AcquireAsync(platform, ct);
            var response = await fetcher.GetBodyAsync(url, ct);
            var fetched = Map(url, response);
            var status = response.Outcome.StatusCode;
            var throttled = status is 418 or 429 && response.Outcome.State is FetchState.HttpError or FetchState.NotChecked
                ? $"throttled (HTTP {status})"
                : fetched.Succeeded ? throttledBody?.Invoke(fetched) : null;
            if (throttled is null)
            {
                return fetched;
            }

            if (attempt >= platform.Retries)
            {
                return new AccountFetch(url, Failed(url, FeedState.Throttled, $"{throttled} on {attempt + 1} tries", status));
            }

            var wait = TimeSpan.FromSeconds(Math.Max(0, platform.RetryBaseSeconds) * Math.Pow(2, attempt));
            if (response.RetryAfter is { } asked)
            {
                if (asked > wait && asked > maxRetryAfter)
                {
                    return new AccountFetch(url, Failed(url, FeedState.Throttled, $"{throttled}: the platform asks to wait {asked.TotalSeconds:0} s", status));
                }

                wait = asked > wait ? asked : wait;
            }

            logger.LogDebug("Platform {Platform} throttled {Url} ({Reason}); trying again in {Wait}", platform.Key, url, throttled, wait);
            await Task.Delay(wait, time, ct);
        }
    }

    private static AccountFetch Map(string url, PageResponse response)
    {
        var outcome = response.Outcome;
        var status = outcome.StatusCode;
        return outcome.State switch
        {
            FetchState.Ok when response.Body is not null =>
                new AccountFetch(url, null, response.Body, response.ContentTypeHeader, response.FinalUrl, status),
            FetchState.HttpError when status is 404 or 410 => new AccountFetch(url, Failed(url, FeedState.Gone, outcome.Message, status)),
            FetchState.Ok => new AccountFetch(url, Failed(url, FeedState.Unreadable, $"{outcome.Message} without a body", status)),
            _ => new AccountFetch(url, Failed(url, FeedState.Unreadable, outcome.Message, status)),
        };
    }
}
