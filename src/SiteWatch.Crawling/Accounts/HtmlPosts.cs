using System.Text.RegularExpressions;
using AngleSharp.Dom;
using SiteWatch.Core.Freshness;
using SiteWatch.Core.Model;
using SiteWatch.Core.Rules;
using SiteWatch.Crawling.Html;

namespace SiteWatch.Crawling.Accounts;

/// <summary>
/// The posts of an account page by the platform's selectors (shared by the <c>html</c> and <c>browser</c> adapters).
/// </summary>
/// <remarks>
/// <para>Items: <see cref="PlatformRules.ItemSelector"/>. In each: the time from <see cref="PlatformRules.TimeSelector"/>
/// (its <c>datetime</c> attribute, else its text; the whole item's text without a time selector), the title from
/// <see cref="PlatformRules.TitleSelector"/> (else the link's text), the link from <see cref="PlatformRules.LinkSelector"/>
/// (else the first <c>a[href]</c>), resolved against the page, and Pinned when <see cref="PlatformRules.PinnedSelector"/>
/// matches the item or inside it.</para>
/// <para>Times: a full time stamp ("2026-11-20 10:00", ISO, RFC 822) or a relative one ("5分钟前", "3天前", "昨天 10:00")
/// is exact; anything else <see cref="PublishDates.InItem"/> reads is a day, and a day counts as its last second (capped
/// at the fetch time): a day-precision date must never make an account look older than it is, since sleeping and
/// zombie are vetoes.</para>
/// <para>Closed: <see cref="PlatformRules.ClosedPhrases"/> are looked for in the page's title and its text outside the
/// items (a post may quote them), scripts and styles left out. An item selector that is missing or not valid CSS makes
/// the page Unreadable (a platform file mistake, said plainly).</para>
/// </remarks>
public static partial class HtmlPosts
{
    private static readonly DateRules Dates = new();

    public static AccountFeed Read(string url, string html, PlatformRules platform, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(html);
        ArgumentNullException.ThrowIfNull(platform);
        if (string.IsNullOrWhiteSpace(platform.ItemSelector))
        {
            return AccountFetcher.Failed(url, FeedState.Unreadable, $"platform {platform.Key} has no item selector");
        }

        var document = HtmlDocuments.Parse(html);
        var offset = TimeSpan.FromHours(platform.DefaultUtcOffsetHours);
        var baseUri = Uri.TryCreate(url, UriKind.Absolute, out var u) ? u : null;
        List<IElement> items;
        var posts = new List<Post>();
        try
        {
            items = [.. document.QuerySelectorAll(platform.ItemSelector)];
            foreach (var item in items)
            {
                posts.Add(ToPost(item, platform, baseUri, now, offset));
            }
        }
        catch (DomException e)
        {
            return AccountFetcher.Failed(url, FeedState.Unreadable, $"platform {platform.Key}: a selector is not valid CSS ({e.Message})");
        }

        foreach (var element in items.Concat(document.QuerySelectorAll("script, style, noscript, template")).ToList())
        {
            element.Remove();
        }

        var speaking = $"{document.Title} {document.Body?.TextContent}";
        if (AccountFetcher.ClosedPhrase(speaking, platform.ClosedPhrases) is { } phrase)
        {
            return AccountFetcher.Failed(url, FeedState.Closed, $"the page says {phrase}");
        }

        return new AccountFeed { Url = url, State = FeedState.Ok, Posts = posts };
    }

    private static Post ToPost(IElement item, PlatformRules platform, Uri? baseUri, DateTimeOffset now, TimeSpan offset)
    {
        var timeElement = Select(item, platform.TimeSelector);
        var timeText = timeElement is null
            ? (platform.TimeSelector is null ? item.TextContent : null)
            : timeElement.GetAttribute("datetime") ?? timeElement.TextContent;
        var link = Select(item, platform.LinkSelector) ?? item.QuerySelector("a[href]") ?? (item.LocalName == "a" ? item : null);
        var titleElement = Select(item, platform.TitleSelector);
        var href = link?.GetAttribute("href")?.Trim();
        string? postUrl = null;
        if (!string.IsNullOrEmpty(href) && (baseUri is null ? Uri.TryCreate(href, UriKind.Absolute, out var absolute) : Uri.TryCreate(baseUri, href, out absolute)))
        {
            postUrl = absolute.Scheme is "http" or "https" ? absolute.ToString() : null;
        }

        var pinned = !string.IsNullOrWhiteSpace(platform.PinnedSelector) && (item.Matches(platform.PinnedSelector) || item.QuerySelector(platform.PinnedSelector) is not null);
        return new Post
        {
            Title = Clean(titleElement?.TextContent ?? link?.TextContent),
            Url = postUrl,
            Text = Clean(item.TextContent),
            PublishedAt = When(timeText, now, offset),
            Pinned = pinned,
        };
    }

    /// <summary>When a post's time text says it was published; see the class remarks for precision.</summary>
    public static DateTimeOffset? When(string? text, DateTimeOffset now, TimeSpan offset)
    {
        var value = Clean(text);
        if (value is null)
        {
            return null;
        }

        if (value.Contains(':', StringComparison.Ordinal) && AccountTimes.Parse(value, offset) is { } exact)
        {
            return exact;
        }

        if (AccountTimes.Relative(value, now, offset) is { } relative)
        {
            return relative;
        }

        try
        {
            if (StampInText().Match(value) is { Success: true } stamp && AccountTimes.Parse(stamp.Value, offset) is { } found)
            {
                return found;
            }
        }
        catch (RegexMatchTimeoutException)
        {
            // Fall back to the day.
        }

        var local = now.ToOffset(offset);
        if (PublishDates.InItem(value, local, Dates) is not { } day)
        {
            return null;
        }

        var endOfDay = new DateTimeOffset(day.ToDateTime(new TimeOnly(23, 59, 59)), offset);
        return endOfDay < local ? endOfDay : local;
    }

    private static IElement? Select(IElement item, string? selector) =>
        string.IsNullOrWhiteSpace(selector) ? null : item.Matches(selector) ? item : item.QuerySelector(selector);

    private static string? Clean(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var value = Whitespace().Replace(text, " ").Trim();
        return value.Length == 0 ? null : value;
    }

    [GeneratedRegex("""\s+""")]
    private static partial Regex Whitespace();

    // A full date and time inside a longer text ("发布于 2026-11-20 10:00").
    [GeneratedRegex("""(?<![0-9])[0-9]{4}\s?(?:[-/.]|年)\s?[0-9]{1,2}\s?(?:[-/.]|月)\s?[0-9]{1,2}日?(?:T|\s+)[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?(?:Z|[+-][0-9]{2}:?[0-9]{2})?(?![0-9])""", RegexOptions.None, 250)]
    private static partial Regex StampInText();
}
