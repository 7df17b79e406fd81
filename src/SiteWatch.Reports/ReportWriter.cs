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
        var findings = input.Findings.ToLookup(f => f.TargetId, f => f.Finding, StringComparer.Ordinal);
        var verdicts = input.Targets.ToDictionary(t => t.Id, t => Verdict.Judge(findings[t.Id].ToList(), input.Scoring), StringComparer.Ordinal);

        var roundFolder = Path.Combine(outDirectory, SafeFileName(input.Round.Id));
        var noticeFolder = Path.Combine(roundFolder, "整改通知");
        Directory.CreateDirectory(noticeFolder);
        // A report written again replaces the earlier notices: a target fixed since then must not keep its old file.
        foreach (var old in Directory.GetFiles(noticeFolder, "*.xlsx"))
        {
            File.Delete(old);
        }

        var notification = Path.Combine(roundFolder, $"通报-{SafeFileName(input.Round.Id)}.xlsx");
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

    /// <summary><c>&lt;target id&gt;-&lt;name&gt;.xlsx</c>, with characters no file system accepts (\ / : * ? " &lt; &gt; |) as '_'.</summary>
    public static string NoticeFileName(Target target) => SafeFileName($"{target.Id}-{target.Name}") + ".xlsx";

    private static string SafeFileName(string name)
    {
        var chars = name.Select(c => c is '\\' or '/' or ':' or '*' or '?' or '"' or '<' or '>' or '|' || char.IsControl(c) ? '_' : c).ToArray();
        var safe = new string(chars).Trim().TrimEnd('.');
        return safe.Length > 120 ? safe[..120] : safe;
    }
}
