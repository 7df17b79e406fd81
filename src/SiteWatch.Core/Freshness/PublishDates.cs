using System.Globalization;
using System.Text.RegularExpressions;
using AngleSharp.Dom;

namespace SiteWatch.Core.Freshness;

/// <summary>
/// Publication dates in the texts of government sites: list items, article pages, home pages. Every date is
/// judged against the round's <c>asOf</c>, in asOf's own offset (a page in China dated "今天" at 07:00 +08:00 is
/// dated that +08:00 day, not the UTC one).
/// </summary>
/// <remarks>
/// <para>Accepted: <c>2026-11-20</c>, <c>2026/11/20</c>, <c>2026.11.20</c> (with brackets around them or a time
/// after them: <c>2026-11-20 10:30</c>, <c>2026-11-20T10:30:00+08:00</c>, gov.cn's <c>2026-11-20-10:30:00</c>;
/// an explicit offset is converted to asOf's), <c>2026年11月20日</c> (spaces and single digits allowed),
/// <c>MM-DD</c> / <c>MM/DD</c> (two digits each) and <c>11月20日</c> without a year, relative dates
/// (<c>3天前</c>, <c>5小时前</c>, <c>10分钟前</c>, <c>2周前</c>, <c>1个月前</c>, <c>刚刚</c>, <c>今天</c>, <c>昨天</c>,
/// <c>前天</c>), full-width digits and punctuation. Dates are checked against the calendar (no 2026-02-30), against
/// <see cref="DateRules.OldestYear"/>, and against asOf + <see cref="DateRules.FutureToleranceDays"/>.</para>
/// <para>Decisions:</para>
/// <list type="bullet">
/// <item>A date without a year (<c>11-20</c>, <c>11月20日</c>) takes the year of the heading above the list when
/// the caller gives one. Without a heading it takes the latest year in which that day is not later than
/// asOf + tolerance: a list shows what has been published, so "12-30" read on 2026-01-03 is 2025-12-30, and
/// "01-04" read on 2025-12-31 is 2026-01-04 (within tolerance), the same tolerance every other date gets.</item>
/// <item>Year-less numeric dates need two digits each (<c>01-05</c>, not <c>1-5</c>): single digits are ranges
/// and fractions (<c>1-3</c>, <c>3/4</c>) far more often than dates. <c>MM.DD</c> is never a date (decimals,
/// versions). A number followed by a unit (<c>11/20 分</c>, <c>01-12月</c>, <c>10-20个</c>) is not a date.</item>
/// <item>An eight-digit date (<c>20261120</c>) counts only where a list prints it as a column: inside brackets,
/// or as a whitespace-separated first or last token of the text, and not after a phone/fax/postcode/number
/// label. Glued to a file name or URL (<c>art_1229_20261120.html</c>, <c>t20261120_1.html</c>) it is an id,
/// not a date: a URL is where an item lives, not what the site says about when it was published.</item>
/// <item>Dates glued to a URL, file name, version or phone number (a letter, digit, <c>_ . / =</c> before them,
/// or a digit after them) are not dates; a bare year (<c>© 2006-2026</c>, <c>版权所有 2026</c>) is never a date;
/// times alone (<c>10:30</c>) are not dates.</item>
/// <item><see cref="InItem"/> returns the latest plausible date of the item ("发布 2026-11-20 更新 2026-11-21" is
/// the 21st; in "2026-11-01至2026-11-30" read on 2026-11-23 the 30th is beyond tolerance, so the 1st), preferring
/// dates that carry a year (or are relative to asOf) over year-less ones: a year-less date beside a full one is
/// usually an event named in the title ("关于11月22日停水的通知 2026-11-20").</item>
/// <item><c>今天/昨天/前天/刚刚</c> count only as a separate token (spaces or brackets around them) or at the end of
/// the text, optionally followed by a time: "关于今天停水的通知" is not dated today. <c>N天前</c> and the other
/// counted forms count anywhere.</item>
/// </list>
/// <para>The patterns are source-generated with a match timeout; a timeout ends the scan with what was found so far
/// (a pathological text loses its dates, the round goes on).</para>
/// </remarks>
public static partial class PublishDates
{
    private const int TimeoutMs = 250;

    // Articles: the longest text after a label that can hold its date ("2026-11-20T10:30:00.000+08:00").
    private const int LabelWindow = 40;

    // <meta> names, properties and itemprops that carry a publication date, best first (compared lower-case).
    // PubDate is the national government website standard's tag (GB/T 政府网站网页设计规范; TRS, Hanweb and most
    // provincial platforms emit it); firstpublishedtime is gov.cn/TRS WCM's; publishdate is TRS and the news
    // sites'; the rest are Open Graph, Dublin Core and schema.org. Modification times are not publication.
    private static readonly string[] MetaKeys =
    [
        "pubdate", "articlepubdate", "firstpublishedtime", "publishdate", "publishdatetime", "publish_date",
        "publish-date", "publishtime", "publish_time", "publishedtime", "pubtime", "releasedate",
        "article:published_time", "og:article:published_time", "og:release_date", "datepublished",
        "dc.date.issued", "dcterms.issued", "dc.date", "dcterms.date", "dc.date.created", "dcterms.created",
        "createdate", "date",
    ];

    private static readonly string[] NumberLabels = ["电话", "传真", "手机", "热线", "邮编", "编码", "编号", "文号", "号码", "账号", "代码", "tel", "fax", "no."];

    /// <summary>
    /// The publication date in a short text such as a list item or table row (title + date), or null when it has
    /// none. <paramref name="yearHeading"/> is the year of a heading above the list ("2026年"), used for items
    /// dated "11-20" only. Several dates: the latest plausible one (see the class remarks).
    /// </summary>
    public static DateOnly? InItem(string text, DateTimeOffset asOf, DateRules rules, int? yearHeading = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(rules);
        if (!MayHoldDate(text))
        {
            return null;
        }

        var normalized = Normalize(text);
        var scan = new Scan(normalized, asOf, rules, yearHeading);
        DateOnly? full = null;
        DateOnly? yearless = null;
        try
        {
            for (var match = DatePattern().Match(normalized); match.Success; match = match.NextMatch())
            {
                if (!scan.Read(match, out var date, out var hasYear))
                {
                    continue;
                }

                if (hasYear)
                {
                    full = full is { } f && f >= date ? f : date;
                }
                else
                {
                    yearless = yearless is { } y && y >= date ? y : date;
                }
            }
        }
        catch (RegexMatchTimeoutException)
        {
            // What was read before the timeout stands; see the class remarks.
        }

        return full ?? yearless;
    }

    /// <summary>All plausible publication dates in a text, in order of appearance (for pages that are not lists).</summary>
    public static IReadOnlyList<DateOnly> All(string text, DateTimeOffset asOf, DateRules rules, int? yearHeading = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(rules);
        if (!MayHoldDate(text))
        {
            return [];
        }

        var dates = new List<DateOnly>();
        Collect(Normalize(text), asOf, rules, yearHeading, dates, positions: null);
        return dates;
    }

    /// <summary>
    /// An article page's publication date: the first plausible one of its date <c>&lt;meta&gt;</c> tags (name,
    /// property or itemprop; PubDate, firstpublishedtime, publishdate, article:published_time, datePublished,
    /// dc.date.issued …, in that order of trust), else the date right after a visible label in the body
    /// (发布时间/发布日期/发表时间/发稿时间/公开日期 before the generic 日期/时间/更新时间); null when there is none.
    /// </summary>
    public static DateOnly? OfArticle(IDocument document, DateTimeOffset asOf, DateRules rules)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(rules);
        return FromMeta(document, asOf, rules) ?? FromLabels(document, asOf, rules);
    }

    /// <summary>
    /// A year heading standing alone in a short text: "2026年", "2026", "【2025年】", "2025年度"; null otherwise.
    /// Years outside 1900–2199 are not headings.
    /// </summary>
    public static int? YearHeading(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.AsSpan().Trim();
        if (trimmed.Length is < 4 or > 24)
        {
            return null;
        }

        var match = YearHeadingPattern().Match(Normalize(trimmed.ToString()));
        if (!match.Success)
        {
            return null;
        }

        var year = int.Parse(match.Groups["y"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);
        return year is >= 1900 and <= 2199 ? year : null;
    }

    private static DateOnly? FromMeta(IDocument document, DateTimeOffset asOf, DateRules rules)
    {
        string? best = null;
        var bestRank = int.MaxValue;
        foreach (var element in document.QuerySelectorAll("meta[content], [itemprop][datetime], [itemprop][content]"))
        {
            var key = element.GetAttribute("name") ?? element.GetAttribute("property") ?? element.GetAttribute("itemprop");
            if (key is null)
            {
                continue;
            }

            var rank = Array.FindIndex(MetaKeys, k => k.Equals(key.Trim(), StringComparison.OrdinalIgnoreCase));
            if (rank < 0 || rank >= bestRank)
            {
                continue;
            }

            var value = element.GetAttribute("content") ?? element.GetAttribute("datetime");
            if (string.IsNullOrWhiteSpace(value) || Stamp(value, asOf, rules) is null)
            {
                continue;
            }

            best = value;
            bestRank = rank;
        }

        return best is null ? null : Stamp(best, asOf, rules);
    }

    /// <summary>A machine-written date value (a meta content): compact stamps and epoch seconds as well as text.</summary>
    private static DateOnly? Stamp(string value, DateTimeOffset asOf, DateRules rules)
    {
        var text = Normalize(value.Trim());
        var today = Today(asOf);
        if (text.Length is 10 or 13 && text.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0)
        {
            // Epoch seconds or milliseconds, as some CMSs write them.
            var number = long.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
            var instant = text.Length == 10 ? DateTimeOffset.FromUnixTimeSeconds(number) : DateTimeOffset.FromUnixTimeMilliseconds(number);
            var date = Today(instant.ToOffset(asOf.Offset));
            return Plausible(date, today, rules) ? date : null;
        }

        if (text.Length is 8 or 12 or 14 && text.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0)
        {
            // yyyyMMdd[HHmm[ss]]: in a meta value nothing else can be meant.
            var date = Make(Int(text.AsSpan(0, 4)), Int(text.AsSpan(4, 2)), Int(text.AsSpan(6, 2)));
            return date is { } d && Plausible(d, today, rules) ? d : null;
        }

        var dates = new List<DateOnly>(1);
        Collect(text, asOf, rules, null, dates, positions: null);
        return dates.Count > 0 ? dates[0] : null;
    }

    private static DateOnly? FromLabels(IDocument document, DateTimeOffset asOf, DateRules rules)
    {
        if (document.Body is not { } body)
        {
            return null;
        }

        var text = VisibleText(body);
        if (!MayHoldDate(text))
        {
            return null;
        }

        text = Normalize(text);
        DateOnly? generic = null;
        var dates = new List<DateOnly>(2);
        var positions = new List<int>(2);
        try
        {
            for (var label = LabelPattern().Match(text); label.Success; label = label.NextMatch())
            {
                var isPrimary = label.Groups["p"].Success;
                if (!isPrimary && generic is not null)
                {
                    continue;
                }

                var start = label.Index + label.Length;
                var window = text.Substring(start, Math.Min(LabelWindow, text.Length - start));
                dates.Clear();
                positions.Clear();
                Collect(window, asOf, rules, null, dates, positions);

                // The label's own value begins right after it; a date further on belongs to another label.
                if (dates.Count == 0 || window.AsSpan(0, positions[0]).Trim().Length > 0)
                {
                    continue;
                }

                if (isPrimary)
                {
                    return dates[0];
                }

                generic = dates[0];
            }
        }
        catch (RegexMatchTimeoutException)
        {
            // As in InItem: keep what was found.
        }

        return generic;
    }

    /// <summary>Visible body text with a space between text nodes, so that adjacent cells do not run together.</summary>
    private static string VisibleText(IElement body)
    {
        var text = new System.Text.StringBuilder();
        foreach (var node in body.Descendants<IText>())
        {
            if (node.ParentElement?.Closest("script, style, noscript, template") is null)
            {
                text.Append(node.Data).Append(' ');
            }
        }

        return text.ToString();
    }

    private static void Collect(string normalized, DateTimeOffset asOf, DateRules rules, int? yearHeading, List<DateOnly> dates, List<int>? positions)
    {
        var scan = new Scan(normalized, asOf, rules, yearHeading);
        try
        {
            for (var match = DatePattern().Match(normalized); match.Success; match = match.NextMatch())
            {
                if (scan.Read(match, out var date, out _))
                {
                    dates.Add(date);
                    positions?.Add(match.Index);
                }
            }
        }
        catch (RegexMatchTimeoutException)
        {
            // As in InItem: keep what was found.
        }
    }

    /// <summary>Cheap test before any regex: every date form has an ASCII or full-width digit, 天 or 刚.</summary>
    private static bool MayHoldDate(string text) =>
        text.AsSpan().IndexOfAnyInRange('0', '9') >= 0
        || text.AsSpan().IndexOfAnyInRange('０', '９') >= 0
        || text.Contains('天')
        || text.Contains("刚刚", StringComparison.Ordinal);

    /// <summary>
    /// Full-width ASCII (０-９, －, ／, ：, （ …) to ASCII and ideographic/no-break spaces to spaces, one character for
    /// one so that positions do not move; the text itself when there is nothing to change.
    /// </summary>
    internal static string Normalize(string text)
    {
        var first = text.AsSpan().IndexOfAnyInRange('\uFF01', '\uFF5E');
        var space = text.AsSpan().IndexOfAny('\u3000', '\u00A0');
        if (first < 0 && space < 0)
        {
            return text;
        }

        return string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                span[i] = c switch
                {
                    >= '\uFF01' and <= '\uFF5E' => (char)(c - 0xFEE0),
                    '\u3000' or '\u00A0' => ' ',
                    _ => c,
                };
            }
        });
    }

    private static DateOnly Today(DateTimeOffset asOf) => DateOnly.FromDateTime(asOf.DateTime);

    private static bool Plausible(DateOnly date, DateOnly today, DateRules rules) =>
        date.Year >= rules.OldestYear && date <= today.AddDays(rules.FutureToleranceDays);

    private static DateOnly? Make(int year, int month, int day) =>
        year is >= 1 and <= 9999 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month)
            ? new DateOnly(year, month, day)
            : null;

    private static int Int(ReadOnlySpan<char> digits) => int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);

    private static bool IsOpen(char c) => char.IsWhiteSpace(c) || c is '[' or '(' or '【' or '〔' or '<' or '《' or '|' or '·' or ':';

    private static bool IsClose(char c) => char.IsWhiteSpace(c) || c is ']' or ')' or '】' or '〕' or '>' or '》' or '|' or '·';

    /// <summary>One text being scanned: turns a match of <see cref="DatePattern"/> into a plausible date.</summary>
    private readonly struct Scan(string text, DateTimeOffset asOf, DateRules rules, int? yearHeading)
    {
        private readonly DateOnly today = Today(asOf);

        public bool Read(Match match, out DateOnly date, out bool hasYear)
        {
            date = default;
            hasYear = true;
            var groups = match.Groups;
            DateOnly? read;
            if (groups["w"].Success)
            {
                read = Word(match, groups["w"].ValueSpan);
            }
            else if (groups["n"].Success)
            {
                read = Relative(Int(groups["n"].ValueSpan), groups["u"].ValueSpan);
            }
            else if (groups["y"].Success)
            {
                if (groups["c"].Success && !CompactStandsAlone(match))
                {
                    return false;
                }

                read = Make(Int(groups["y"].ValueSpan), Int(groups["m"].ValueSpan), Int(groups["d"].ValueSpan));
                if (read is { } day && groups["z"].Success)
                {
                    read = InAsOfOffset(day, groups);
                }
            }
            else
            {
                hasYear = false;
                read = Yearless(Int(groups["m"].ValueSpan), Int(groups["d"].ValueSpan));
            }

            if (read is not { } value || !Plausible(value, today, rules))
            {
                return false;
            }

            date = value;
            return true;
        }

        private DateOnly? Word(Match match, ReadOnlySpan<char> word)
        {
            var before = match.Index == 0 || IsOpen(text[match.Index - 1]);
            var end = match.Index + match.Length;
            var after = end == text.Length || IsClose(text[end]);
            if (!(before && after) && !text.AsSpan(end).IsWhiteSpace())
            {
                return null;
            }

            return word switch
            {
                "昨天" => today.AddDays(-1),
                "前天" => today.AddDays(-2),
                _ => today,
            };
        }

        private DateOnly Relative(int count, ReadOnlySpan<char> unit)
        {
            var then = unit switch
            {
                "秒" => asOf.AddSeconds(-count),
                "分钟" => asOf.AddMinutes(-count),
                "小时" => asOf.AddHours(-count),
                "天" => asOf.AddDays(-count),
                "周" or "星期" => asOf.AddDays(-7 * count),
                "个月" => asOf.AddMonths(-count),
                _ => asOf.AddYears(-count),
            };
            return Today(then);
        }

        /// <summary>The heading's year, else the latest year in which the day is not beyond asOf + tolerance.</summary>
        private DateOnly? Yearless(int month, int day)
        {
            if (yearHeading is { } year)
            {
                return Make(year, month, day);
            }

            var limit = today.AddDays(rules.FutureToleranceDays);
            for (var y = limit.Year; y >= limit.Year - 8; y--)
            {
                if (Make(y, month, day) is { } date && date <= limit)
                {
                    return date;
                }
            }

            return null;
        }

        /// <summary>A date-time with an explicit offset ("…T23:30:00Z"), as the day it is in asOf's offset.</summary>
        private DateOnly? InAsOfOffset(DateOnly day, GroupCollection groups)
        {
            var hour = Int(groups["h"].ValueSpan);
            var minute = Int(groups["mi"].ValueSpan);
            var second = Int(groups["sec"].ValueSpan);
            var zone = groups["z"].ValueSpan;
            if (hour > 23 || minute > 59 || second > 59)
            {
                return day;
            }

            var offset = TimeSpan.Zero;
            if (zone is not "Z")
            {
                var hours = Int(zone.Slice(1, 2));
                var minutes = Int(zone[^2..]);
                if (hours > 14 || minutes > 59)
                {
                    return day;
                }

                offset = new TimeSpan(hours, minutes, 0) * (zone[0] == '-' ? -1 : 1);
            }

            var instant = new DateTimeOffset(day.ToDateTime(new TimeOnly(hour, minute, second)), offset);
            return Today(instant.ToOffset(asOf.Offset));
        }

        /// <summary>An eight-digit date is a date only as a list column: bracketed, or the first or last token.</summary>
        private bool CompactStandsAlone(Match match)
        {
            var end = match.Index + match.Length;
            var left = text.AsSpan(0, match.Index).TrimEnd();
            var right = text.AsSpan(end).TrimStart();
            var lead = left.Length == 0 ? default : left[^1];
            var trail = right.Length == 0 ? default : right[0];
            var bracketed = lead is '[' or '(' or '【' or '〔' or '<' or '《' && trail is ']' or ')' or '】' or '〕' or '>' or '》';
            var spaced = (match.Index == 0 || char.IsWhiteSpace(text[match.Index - 1])) && (end == text.Length || char.IsWhiteSpace(text[end]));
            if (!bracketed && !(spaced && (left.Length == 0 || right.Length == 0)))
            {
                return false;
            }

            var context = left[Math.Max(0, left.Length - 8)..];
            foreach (var label in NumberLabels)
            {
                if (context.Contains(label, StringComparison.OrdinalIgnoreCase))
                {
                    return false;
                }
            }

            return true;
        }
    }

    // One pass over the text finds every form; the branches share the group names y/m/d. Read by Scan:
    //  w  a relative word; n/u a counted relative date; y (+c for the eight-digit form) a full date, with an
    //  optional time and offset (h, mi, sec, z); m/d alone a year-less date.
    // A full date glued by '-' to a number or word ("0731-2026-11-20", "No-2026-11-20") is part of that token,
    // unless what precedes the '-' is itself a date (the range "2026-11-01-2026-11-30").
    [GeneratedRegex("""
        (?<![0-9A-Za-z_./=])(?<![0-9]:)(?<!(?<![0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2})[0-9A-Za-z]-)
        (?<y>[0-9]{4})\x20?(?<s>[-/.])\x20?(?<m>[0-9]{1,2})\x20?\k<s>\x20?(?<d>[0-9]{1,2})
        (?![0-9_]|\.[A-Za-z]|\x20?[-/.]\x20?[0-9](?![0-9]?:[0-9]|[0-9]{3}[-/.]))
        (?:(?:\x20{1,3}|T|-)(?<h>[0-9]{1,2}):(?<mi>[0-9]{2})
           (?::(?<sec>[0-9]{2})(?:\.[0-9]{1,7})?(?<z>Z|[+-][0-9]{2}:?[0-9]{2})?)?(?![0-9]))?
        |
        (?<![0-9])(?<y>[0-9]{4})\s{0,3}年\s{0,3}(?<m>[0-9]{1,2})\s{0,3}月\s{0,3}(?<d>[0-9]{1,2})(?:\s{0,3}[日号]|(?![0-9]))
        |
        (?<![0-9A-Za-z_./=\-\#])(?<![0-9]:)
        (?<y>(?:19|20)[0-9]{2})(?<m>0[1-9]|1[0-2])(?<d>0[1-9]|[12][0-9]|3[01])(?<c>)(?![0-9A-Za-z_./\-号])
        |
        (?<![0-9])(?<n>[0-9]{1,3})\s{0,3}(?<u>秒|分钟|小时|天|周|星期|个月|年)前
        |
        (?<w>今天|昨天|前天|刚刚)(?:\s{0,3}[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)?
        |
        (?<![0-9A-Za-z_./=\-第共约])(?<![0-9]:)
        (?<m>0[1-9]|1[0-2])\x20?[-/]\x20?(?<d>0[1-9]|[12][0-9]|3[01])
        (?![0-9]|\x20?[-/.:]\x20?[0-9]|\s{0,3}[分名页期票人个件次条位岁届批%年月日号天周])
        |
        (?<![0-9])(?<m>[0-9]{1,2})\s{0,3}月\s{0,3}(?<d>[0-9]{1,2})\s{0,3}[日号]
        """, RegexOptions.IgnorePatternWhitespace | RegexOptions.ExplicitCapture, TimeoutMs)]
    private static partial Regex DatePattern();

    // Labels before an article's date. p: the publication labels; the rest are generic and must not be the tail of
    // another label (成文日期, 截止时间, 活动时间), so no ideograph may precede them.
    [GeneratedRegex("""
        (?<p>发布时间|发布日期|发表时间|发表日期|发稿时间|发文时间|公开日期|公开时间|发布于)\s{0,3}:?\s{0,3}
        |
        (?<!\p{IsCJKUnifiedIdeographs})(?:日期|时间|更新时间|上传时间|录入时间|信息时间)\s{0,3}:\s{0,3}
        """, RegexOptions.IgnorePatternWhitespace | RegexOptions.ExplicitCapture, TimeoutMs)]
    private static partial Regex LabelPattern();

    [GeneratedRegex("""^[\[(【〔]?\s{0,3}(?<y>[0-9]{4})\s{0,3}(?:年度?)?\s{0,3}[\])】〕]?$""", RegexOptions.ExplicitCapture, TimeoutMs)]
    private static partial Regex YearHeadingPattern();
}
