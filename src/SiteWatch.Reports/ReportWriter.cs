using SiteWatch.Core.Model;
using SiteWatch.Reports.Scoring;
using SiteWatch.Reports.Workbooks;

namespace SiteWatch.Reports;

/// <summary>What <see cref="ReportWriter.Write"/> produced.</summary>
/// <param name="Notices">One correction notice per target with findings, in target order.</param>
public sealed record ReportResult(string Notification, IReadOnlyList<string> Notices, IReadOnlyDictionary<string, Verdict> Verdicts)
{
    public int Qualified => Verdicts.Values.Count(v => v.Qualified);
}

/// <summary>
/// Writes a round's reports under <c>OUT/&lt;round&gt;/</c>: <c>通报-&lt;round&gt;.xlsx</c> and
/// <c>整改通知/&lt;target id&gt;-&lt;name&gt;.xlsx</c> for every target with at least one finding (notices included).
/// </summary>
public static class ReportWriter
{
    public static ReportResult Write(ReportInput input, string outDirectory)
    {
        var verdicts = Judge(input);
        var roundFolder = Path.Combine(outDirectory, SafeFileName(input.Round.Id));
        var noticeFolder = Path.Combine(roundFolder, "整改通知");
        Directory.CreateDirectory(noticeFolder);
        // A report written again replaces the earlier notices: a target fixed since then must not keep its old file.
        foreach (var old in Directory.GetFiles(noticeFolder, "*.xlsx"))
        {
            File.Delete(old);
        }

        var notification = Path.Combine(roundFolder, NotificationFileName(input.Round));
        NotificationWorkbook.Write(input, verdicts, notification);

        var notices = new List<string>();
        foreach (var target in input.Targets.OrderBy(t => t.Id, StringComparer.Ordinal))
        {
            var verdict = verdicts[target.Id];
            if (verdict.Findings.Count == 0)
            {
                continue;
            }

            var path = Path.Combine(noticeFolder, NoticeFileName(target));
            CorrectionNotice.Write(input, target, verdict, input.NoticeDeadline, path);
            notices.Add(path);
        }

        return new ReportResult(notification, notices, verdicts);
    }

    /// <summary>
    /// Only the notification, as <see cref="Write"/> writes it (<c>OUT/&lt;round&gt;/通报-&lt;round&gt;.xlsx</c>), without the
    /// correction notices: what the web page's download needs. Returns its path.
    /// </summary>
    public static string WriteNotification(ReportInput input, string outDirectory)
    {
        var roundFolder = Path.Combine(outDirectory, SafeFileName(input.Round.Id));
        Directory.CreateDirectory(roundFolder);
        var notification = Path.Combine(roundFolder, NotificationFileName(input.Round));
        NotificationWorkbook.Write(input, Judge(input), notification);
        return notification;
    }

    /// <summary>
    /// One target's correction notice, as <see cref="Write"/> writes it, into <paramref name="outDirectory"/>: what a
    /// webmaster downloads from the web page. Null when the target was not inspected in the round or has no finding.
    /// </summary>
    public static string? WriteNotice(ReportInput input, string targetId, string outDirectory)
    {
        if (input.Targets.FirstOrDefault(t => t.Id == targetId) is not { } target || Judge(input)[targetId] is not { Findings.Count: > 0 } verdict)
        {
            return null;
        }

        Directory.CreateDirectory(outDirectory);
        var path = Path.Combine(outDirectory, NoticeFileName(target));
        CorrectionNotice.Write(input, target, verdict, input.NoticeDeadline, path);
        return path;
    }

    /// <summary><c>通报-&lt;round&gt;.xlsx</c>.</summary>
    public static string NotificationFileName(Round round) => $"通报-{SafeFileName(round.Id)}.xlsx";

    /// <summary>Every inspected target's verdict (checks.md "Verdict"), by target id.</summary>
    public static IReadOnlyDictionary<string, Verdict> Judge(ReportInput input)
    {
        var findings = input.Findings.ToLookup(f => f.TargetId, f => f.Finding, StringComparer.Ordinal);
        return input.Targets.ToDictionary(t => t.Id, t => Verdict.Judge(findings[t.Id].ToList(), input.Scoring), StringComparer.Ordinal);
    }

    /// <summary><c>&lt;target id&gt;-&lt;name&gt;.xlsx</c>, with characters no file system accepts (\ / : * ? " &lt; &gt; |) as '_'.</summary>
    public static string NoticeFileName(Target target) => SafeFileName($"{target.Id}-{target.Name}") + ".xlsx";

    private static string SafeFileName(string name)
    {
        var chars = name.Select(c => c is '\\' or '/' or ':' or '*' or '?' or '"' or '<' or '>' or '|' || char.IsControl(c) ? '_' : c).ToArray();
        var safe = new string(chars).Trim().TrimEnd('.');
        return safe.Length > 120 ? safe[..120] : safe;
    }
}
