using SiteWatch.Core.Model;
using SiteWatch.Core.Rules;
using SiteWatch.Crawling.Html;

namespace SiteWatch.Crawling.Accounts;

/// <summary>
/// Adapter <c>html</c>: the account's page as the server sends it, its posts found by the platform's selectors
/// (<see cref="HtmlPosts"/>). Fetching, pacing and throttling as <see cref="AccountFetcher"/> does; the page's
/// encoding as <see cref="CharsetDecoder"/> decides; closed phrases outside the posts → Closed; an answer declared as
/// something other than HTML (JSON, a file) → Unreadable "not an HTML page", never an account without posts.
/// </summary>
public sealed class HtmlReader(AccountFetcher fetcher, TimeProvider time) : IAccountReader
{
    public string Adapter => "html";

    public async Task<AccountFeed> ReadAsync(Target account, PlatformRules platform, CancellationToken ct)
    {
        var fetched = await fetcher.FetchAsync(account, platform, null, ct);
        if (!fetched.Succeeded)
        {
            return fetched.Failure;
        }

        // A JSON answer or a file read as HTML would show no posts, and no posts reads as a zombie account.
        var mediaType = fetched.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType is { Length: > 0 } && mediaType is not ("text/html" or "application/xhtml+xml" or "text/plain"))
        {
            return AccountFetcher.Failed(fetched.Url, FeedState.Unreadable, $"not an HTML page ({mediaType})", fetched.StatusCode);
        }

        var html = CharsetDecoder.Decode(fetched.Body, fetched.ContentType).Text;
        var feed = HtmlPosts.Read(fetched.FinalUrl ?? fetched.Url, html, platform, time.GetUtcNow());
        return feed with { Url = fetched.Url, StatusCode = fetched.StatusCode };
    }
}
