using System.Text.Json;
using SiteWatch.Core.Model;
using SiteWatch.Core.Rules;
using SiteWatch.Crawling.Html;

namespace SiteWatch.Crawling.Accounts;

/// <summary>
/// Adapter <c>weibo</c>: the public m.weibo.cn container API,
/// <c>https://m.weibo.cn/api/container/getIndex?type=uid&amp;value={uid}&amp;containerid=107603{uid}</c> (the platform's
/// UrlTemplate, with the registry's account id as the uid).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>ok: 1</c>: the posts are the <c>mblog</c>s of <c>data.cards[]</c> with <c>card_type</c> 9 (also inside a
/// card's <c>card_group</c>). Pinned: <c>isTop</c> 1, <c>mblogtype</c> 2, or <c>title.text</c> "置顶". <c>created_at</c>
/// is absolute (<c>Sat Nov 21 10:00:00 +0800 2026</c>, <c>2025-11-20</c>) or relative to the fetch time, which comes
/// from <see cref="TimeProvider"/> (<c>刚刚</c>, <c>5分钟前</c>, <c>3小时前</c>, <c>昨天 10:00</c>, <c>11-20</c>).</item>
/// <item><c>ok: 0</c>: the <c>msg</c> naming a closed or missing account (<see cref="PlatformRules.ClosedPhrases"/> and
/// the built-in 用户不存在 / 账号已注销 / 已被封禁 …) → <see cref="FeedState.Closed"/>; "这里还没有内容" (or no msg) → Ok
/// without posts; any other msg → Unreadable with it (an unknown refusal must not read as an empty account).</item>
/// <item><c>ok: -100</c>, a redirect to the login page (passport.weibo.com) and "请求过于频繁" are Weibo refusing anonymous
/// clients that ask too often: throttling, not a fact about the account. They are retried like a 429 and end as
/// <see cref="FeedState.Throttled"/> (not judged, tried again later in the round) — Unreadable would report a
/// government account as unreachable because we were blocked.</item>
/// <item>404/410 → Gone; an answer that is not JSON → Closed when it carries a closed phrase, else Unreadable.</item>
/// </list>
/// </remarks>
public sealed class WeiboReader(AccountFetcher fetcher, TimeProvider time) : IAccountReader
{
    /// <summary>What Weibo says of accounts that are gone, on top of the platform file's closed phrases.</summary>
    private static readonly string[] BuiltInClosed = ["用户不存在", "账号已注销", "账号已被注销", "已被封禁", "账号已被封", "账号已冻结", "账号异常，无法查看"];

    public string Adapter => "weibo";

    public async Task<AccountFeed> ReadAsync(Target account, PlatformRules platform, CancellationToken ct)
    {
        var fetched = await fetcher.FetchAsync(account, platform, Refused, ct);
        return fetched.Succeeded
            ? Parse(fetched.Url, fetched.Body, fetched.ContentType, platform, time.GetUtcNow())
            : fetched.Failure;
    }

    /// <summary>Reads an answer of the container API fetched at <paramref name="now"/>; never throws.</summary>
    public static AccountFeed Parse(string url, byte[] body, string? contentType, PlatformRules platform, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(platform);
        var text = CharsetDecoder.Decode(body, contentType).Text;
        var closedPhrases = platform.ClosedPhrases.Concat(BuiltInClosed);
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            var ok = root.ValueKind == JsonValueKind.Object ? Ok(root) : null;
            var msg = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("msg", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            switch (ok)
            {
                case 1:
                    var offset = TimeSpan.FromHours(platform.DefaultUtcOffsetHours);
                    var posts = new List<Post>();
                    if (root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
                        && data.TryGetProperty("cards", out var cards) && cards.ValueKind == JsonValueKind.Array)
                    {
                        Collect(cards, posts, now, offset, depth: 0);
                    }

                    return new AccountFeed { Url = url, State = FeedState.Ok, Posts = posts };
                case 0 when AccountFetcher.ClosedPhrase(msg, closedPhrases) is { } phrase:
                    return AccountFetcher.Failed(url, FeedState.Closed, $"weibo says {phrase}: {msg}");
                case 0 when string.IsNullOrWhiteSpace(msg) || msg.Contains("没有内容", StringComparison.Ordinal):
                    return new AccountFeed { Url = url, State = FeedState.Ok, Message = msg };
                case -100:
                    return AccountFetcher.Failed(url, FeedState.Throttled, "weibo asks to log in (ok: -100)");
                default:
                    return AccountFetcher.Failed(url, FeedState.Unreadable, $"weibo says: {msg ?? "(no msg)"} (ok: {ok?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "missing"})");
            }
        }
        catch (JsonException e)
        {
            return AccountFetcher.ClosedPhrase(text, closedPhrases) is { } phrase
                ? AccountFetcher.Failed(url, FeedState.Closed, $"the page says {phrase}")
                : AccountFetcher.Failed(url, FeedState.Unreadable, $"not a weibo API answer: bad JSON, line {(e.LineNumber ?? 0) + 1}");
        }
    }

    /// <summary>Weibo's ways of refusing an anonymous client, for <see cref="AccountFetcher"/> to treat like a 429.</summary>
    private static string? Refused(AccountFetch fetched)
    {
        if (fetched.FinalUrl is { } final && Uri.TryCreate(final, UriKind.Absolute, out var uri)
            && (uri.Host.StartsWith("passport.", StringComparison.OrdinalIgnoreCase) || uri.AbsolutePath.Contains("login", StringComparison.OrdinalIgnoreCase)))
        {
            return $"weibo sent us to its login page ({uri.Host})";
        }

        try
        {
            using var document = JsonDocument.Parse(fetched.Body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            if (Ok(root) == -100)
            {
                return "weibo asks to log in (ok: -100)";
            }

            return root.TryGetProperty("msg", out var msg) && msg.ValueKind == JsonValueKind.String
                && msg.GetString()!.Contains("频繁", StringComparison.Ordinal)
                ? $"weibo says: {msg.GetString()}"
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static int? Ok(JsonElement root)
    {
        if (!root.TryGetProperty("ok", out var ok))
        {
            return null;
        }

        return ok.ValueKind switch
        {
            JsonValueKind.Number when ok.TryGetInt32(out var n) => n,
            JsonValueKind.String when int.TryParse(ok.GetString(), out var n) => n,
            JsonValueKind.True => 1,
            JsonValueKind.False => 0,
            _ => null,
        };
    }

    private static void Collect(JsonElement cards, List<Post> posts, DateTimeOffset now, TimeSpan offset, int depth)
    {
        foreach (var card in cards.EnumerateArray())
        {
            if (card.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            if (Number(card, "card_type") == 9 && card.TryGetProperty("mblog", out var mblog) && mblog.ValueKind == JsonValueKind.Object)
            {
                posts.Add(ToPost(mblog, now, offset));
            }

            if (depth < 2 && card.TryGetProperty("card_group", out var group) && group.ValueKind == JsonValueKind.Array)
            {
                Collect(group, posts, now, offset, depth + 1);
            }
        }
    }

    private static Post ToPost(JsonElement mblog, DateTimeOffset now, TimeSpan offset)
    {
        var id = Text(mblog, "id") ?? Text(mblog, "mid");
        var created = Text(mblog, "created_at");
        var pinned = Number(mblog, "isTop") == 1 || Number(mblog, "mblogtype") == 2
            || (mblog.TryGetProperty("title", out var title) && title.ValueKind == JsonValueKind.Object && Text(title, "text") == "置顶");
        return new Post
        {
            Id = id,
            PublishedAt = AccountTimes.Parse(created, offset) ?? AccountTimes.Relative(created, now, offset),
            Text = Text(mblog, "text"),
            Url = id is null ? null : $"https://m.weibo.cn/detail/{Uri.EscapeDataString(id)}",
            Pinned = pinned,
        };
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        } : null;

    private static int? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt32(out var n) => n,
            JsonValueKind.String when int.TryParse(value.GetString(), out var n) => n,
            JsonValueKind.True => 1,
            _ => null,
        } : null;
}
