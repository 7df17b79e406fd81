using System.Globalization;
using System.Text.RegularExpressions;

namespace SiteWatch.Crawling.Accounts;

/// <summary>
/// The time stamps platforms and feeds write, read to an exact instant. A time written without an offset is in the
/// platform's zone (<c>PlatformRules.DefaultUtcOffsetHours</c>, China Standard Time by default).
/// </summary>
/// <remarks>
/// Accepted by <see cref="Parse"/>: RFC 822/1123 as RSS writes it (<c>Sat, 21 Nov 2026 10:00:00 +0800</c>, with or
/// without weekday and seconds, zones as offsets or names — <c>GMT</c>, <c>UT</c>, <c>Z</c>, US zones — where
/// <c>CST</c> is read as China Standard Time, which is what it means in Chinese feeds), the m.weibo.cn form
/// <c>Sat Nov 21 10:00:00 +0800 2026</c>, ISO 8601 / RFC 3339, and the numeric forms of Chinese CMSs
/// (<c>2026-11-20 10:00:00</c>, <c>2026/11/20 10:00</c>, <c>2026-11-20</c>, <c>2026年11月20日 10:00</c>). A date
/// without a time is midnight of that day. <see cref="Relative"/> reads what platforms show for recent posts.
/// </remarks>
public static partial class AccountTimes
{
    private static readonly string[] Months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    /// <summary>An absolute time stamp, or null when the text is not one.</summary>
    public static DateTimeOffset? Parse(string? text, TimeSpan defaultOffset)
    {
        // Longer texts are not time stamps (and hostile feeds may put anything in a date element).
        if (string.IsNullOrWhiteSpace(text) || text.Length > 80)
        {
            return null;
        }

        var value = text.Trim();
        if (NumericPattern().Match(value) is { Success: true } numeric)
        {
            return Build(numeric, Int(numeric, "y"), Int(numeric, "mo"), Int(numeric, "d"), defaultOffset);
        }

        if (Rfc822Pattern().Match(value) is { Success: true } rfc)
        {
            var year = Int(rfc, "y");
            year = rfc.Groups["y"].Length == 2 ? 2000 + year : year;
            return Build(rfc, year, Month(rfc.Groups["mon"].Value), Int(rfc, "d"), defaultOffset);
        }

        if (WeiboPattern().Match(value) is { Success: true } weibo)
        {
            return Build(weibo, Int(weibo, "y"), Month(weibo.Groups["mon"].Value), Int(weibo, "d"), defaultOffset);
        }

        return null;
    }

    /// <summary>
    /// The forms platforms show for recent posts, read against <paramref name="now"/> in the platform's zone:
    /// <c>刚刚</c>, <c>N秒前</c>, <c>N分钟前</c>, <c>N小时前</c>, <c>N天前</c>, <c>今天 10:00</c>, <c>昨天 10:00</c>,
    /// <c>前天 10:00</c>, and <c>11-20</c> / <c>11-20 10:00</c> (this year; last year when that would be in the future).
    /// Null when the text is none of these.
    /// </summary>
    public static DateTimeOffset? Relative(string? text, DateTimeOffset now, TimeSpan defaultOffset)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > 40)
        {
            return null;
        }

        var value = text.Trim();
        var local = now.ToOffset(defaultOffset);
        if (value == "刚刚")
        {
            return local;
        }

        if (AgoPattern().Match(value) is { Success: true } ago)
        {
            var n = Int(ago, "n");
            return ago.Groups["u"].Value switch
            {
                "秒" => local.AddSeconds(-n),
                "分钟" => local.AddMinutes(-n),
                "小时" => local.AddHours(-n),
                _ => local.AddDays(-n),
            };
        }

        if (DayWordPattern().Match(value) is { Success: true } word)
        {
            var days = word.Groups["w"].Value switch
            {
                "今天" => 0,
                "昨天" => 1,
                _ => 2,
            };
            var day = local.Date.AddDays(-days);
            var hour = word.Groups["h"].Success ? Int(word, "h") : 0;
            var minute = word.Groups["mi"].Success ? Int(word, "mi") : 0;
            return hour > 23 || minute > 59 ? null : new DateTimeOffset(day.AddHours(hour).AddMinutes(minute), defaultOffset);
        }

        if (MonthDayPattern().Match(value) is { Success: true } md)
        {
            var month = Int(md, "mo");
            var dayOfMonth = Int(md, "d");
            var hour = md.Groups["h"].Success ? Int(md, "h") : 0;
            var minute = md.Groups["mi"].Success ? Int(md, "mi") : 0;
            foreach (var year in new[] { local.Year, local.Year - 1 })
            {
                if (month is < 1 or > 12 || dayOfMonth < 1 || dayOfMonth > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59)
                {
                    return null;
                }

                var candidate = new DateTimeOffset(year, month, dayOfMonth, hour, minute, 0, defaultOffset);
                if (candidate <= local.AddDays(1))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static DateTimeOffset? Build(Match match, int year, int month, int day, TimeSpan defaultOffset)
    {
        var hour = match.Groups["h"].Success ? Int(match, "h") : 0;
        var minute = match.Groups["mi"].Success ? Int(match, "mi") : 0;
        var second = match.Groups["s"].Success ? Int(match, "s") : 0;
        if (year is < 1 or > 9999 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 60)
        {
            return null;
        }

        var offset = Offset(match.Groups["z"].Success ? match.Groups["z"].Value : null, defaultOffset);
        if (offset is null)
        {
            return null;
        }

        var fraction = match.Groups["f"].Success ? match.Groups["f"].Value : "";
        var ticks = fraction.Length == 0 ? 0 : long.Parse(fraction.PadRight(7, '0')[..7], CultureInfo.InvariantCulture);
        var stamp = new DateTimeOffset(year, month, day, hour, minute, Math.Min(second, 59), offset.Value).AddTicks(ticks);
        return stamp;
    }

    private static TimeSpan? Offset(string? zone, TimeSpan defaultOffset)
    {
        switch (zone?.ToUpperInvariant())
        {
            case null or "":
                return defaultOffset;
            case "Z" or "GMT" or "UT" or "UTC":
                return TimeSpan.Zero;
            case "CST":
                // Chinese feeds mean China Standard Time by it, not US Central.
                return TimeSpan.FromHours(8);
            case "EST":
                return TimeSpan.FromHours(-5);
            case "EDT":
                return TimeSpan.FromHours(-4);
            case "CDT":
                return TimeSpan.FromHours(-5);
            case "MST":
                return TimeSpan.FromHours(-7);
            case "MDT":
                return TimeSpan.FromHours(-6);
            case "PST":
                return TimeSpan.FromHours(-8);
            case "PDT":
                return TimeSpan.FromHours(-7);
            case { } numeric when numeric[0] is '+' or '-':
                var digits = numeric[1..].Replace(":", "", StringComparison.Ordinal);
                if (digits.Length != 4)
                {
                    return null;
                }

                var hours = int.Parse(digits.AsSpan(0, 2), CultureInfo.InvariantCulture);
                var minutes = int.Parse(digits.AsSpan(2, 2), CultureInfo.InvariantCulture);
                if (hours > 14 || minutes > 59)
                {
                    return null;
                }

                var span = new TimeSpan(hours, minutes, 0);
                return numeric[0] == '-' ? -span : span;
            default:
                return null;
        }
    }

    private static int Month(string name)
    {
        var index = Array.IndexOf(Months, name[..3].ToLowerInvariant());
        return index + 1;
    }

    private static int Int(Match match, string group) => int.Parse(match.Groups[group].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);

    [GeneratedRegex("""
        ^(?<y>[0-9]{4})\s?(?:[-/.]|年)\s?(?<mo>[0-9]{1,2})\s?(?:[-/.]|月)\s?(?<d>[0-9]{1,2})日?
        (?:(?:T|\s+|-)(?<h>[0-9]{1,2}):(?<mi>[0-9]{2})(?::(?<s>[0-9]{2})(?:[.,](?<f>[0-9]{1,9}))?)?)?
        \s?(?<z>Z|[+-][0-9]{2}:?[0-9]{2})?$
        """, RegexOptions.IgnorePatternWhitespace | RegexOptions.ExplicitCapture | RegexOptions.IgnoreCase, 250)]
    private static partial Regex NumericPattern();

    [GeneratedRegex("""
        ^(?:[A-Za-z]{3,9},?\s+)?(?<d>[0-9]{1,2})\s+(?<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(?<y>[0-9]{4}|[0-9]{2})
        \s+(?<h>[0-9]{1,2}):(?<mi>[0-9]{2})(?::(?<s>[0-9]{2}))?\s*(?<z>[+-][0-9]{2}:?[0-9]{2}|[A-Za-z]{1,5})?$
        """, RegexOptions.IgnorePatternWhitespace | RegexOptions.ExplicitCapture | RegexOptions.IgnoreCase, 250)]
    private static partial Regex Rfc822Pattern();

    [GeneratedRegex("""
        ^[A-Za-z]{3}\s+(?<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\s+(?<d>[0-9]{1,2})
        \s+(?<h>[0-9]{1,2}):(?<mi>[0-9]{2}):(?<s>[0-9]{2})\s+(?<z>[+-][0-9]{4})\s+(?<y>[0-9]{4})$
        """, RegexOptions.IgnorePatternWhitespace | RegexOptions.ExplicitCapture | RegexOptions.IgnoreCase, 250)]
    private static partial Regex WeiboPattern();

    [GeneratedRegex("""^(?<n>[0-9]{1,4})\s?(?<u>秒|分钟|小时|天)前$""", RegexOptions.ExplicitCapture, 250)]
    private static partial Regex AgoPattern();

    [GeneratedRegex("""^(?<w>今天|昨天|前天)(?:\s*(?<h>[0-9]{1,2}):(?<mi>[0-9]{2}))?$""", RegexOptions.ExplicitCapture, 250)]
    private static partial Regex DayWordPattern();

    [GeneratedRegex("""^(?<mo>[0-9]{1,2})[-/月](?<d>[0-9]{1,2})日?(?:\s+(?<h>[0-9]{1,2}):(?<mi>[0-9]{2}))?$""", RegexOptions.ExplicitCapture, 250)]
    private static partial Regex MonthDayPattern();
}
