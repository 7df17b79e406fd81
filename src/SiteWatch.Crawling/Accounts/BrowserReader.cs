using System.Text.RegularExpressions;
using SiteWatch.Core.Model;
using SiteWatch.Core.Rules;

namespace SiteWatch.Crawling.Accounts;

/// <summary>
/// Adapter <c>browser</c>: the account's page rendered by <see cref="IPageRenderer"/> (headless Chromium), for pages
/// whose post lists only scripts build; the posts are then found by the platform's selectors as in <see cref="HtmlPosts"/>.
/// </summary>
/// <remarks>
/// The renderer is resolved on the first read (a <see cref="Lazy{T}"/>), so registering and constructing this reader
/// does not load Playwright. Each render takes a <see cref="PlatformLimiter"/> slot. A render error "HTTP 404"/"HTTP
/// 410" → Gone, "HTTP 418"/"HTTP 429" → Throttled (the browser is not retried: a render is costly, and the round tries
/// throttled accounts again later), any other error (timeout, browser missing, crash, 5xx) → Unreadable with it.
/// </remarks>
public sealed partial class BrowserReader(Lazy<IPageRenderer> renderer, PlatformLimiter limiter, TimeProvider time) : IAccountReader
{
    public string Adapter => "browser";

    public async Task<AccountFeed> ReadAsync(Target account, PlatformRules platform, CancellationToken ct)
    {
        var url = AccountFetcher.ResolveUrl(account, platform, out var problem);
        if (url is null)
        {
            return AccountFetcher.Failed(account.Url, FeedState.Unreadable, problem!);
        }

        await limiter.AcquireAsync(platform, ct);
        var page = await renderer.Value.RenderAsync(url, ct);
        if (page.Html is null)
        {
            var error = page.Error ?? "the browser returned nothing";
            var status = HttpStatus().Match(error) is { Success: true } m ? int.Parse(m.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture) : (int?)null;
            var state = status switch
            {
                404 or 410 => FeedState.Gone,
                418 or 429 => FeedState.Throttled,
                _ => FeedState.Unreadable,
            };
            return AccountFetcher.Failed(url, state, error, status);
        }

        var feed = HtmlPosts.Read(page.Url, page.Html, platform, time.GetUtcNow());
        return feed with { Url = url };
    }

    [GeneratedRegex("""^HTTP ([0-9]{3})\b""")]
    private static partial Regex HttpStatus();
}
