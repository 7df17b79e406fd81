using System.Globalization;
using SiteWatch.Core.Model;
using SiteWatch.Reports.Scoring;
using SiteWatch.Scheduling;

namespace SiteWatch.Cli.Commands;

/// <summary>
/// <c>sitewatch report [--round ID] [--out DIR]</c>: the notification workbook (通报) and one correction notice (整改通知)
/// per target with findings; prints the paths written and a one-line summary. <c>--year YYYY</c>: the annual tables instead.
/// </summary>
public static class ReportCommandHandler
{
    public static async Task<int> RunAsync(App app, string? roundId, string outDirectory, TextWriter output, CancellationToken ct, bool mail = false)
    {
        Reports.NoticeIssue issued;
        try
        {
            issued = await app.Get<Reports.INoticeIssuer>().IssueAsync(roundId, outDirectory, mail, ct);
        }
        catch (Exception e) when (e is ScoringRulesException or Reports.Mail.NoticeMailException)
        {
            throw new CliException(e.Message);
        }

        var (r, input, report) = (issued.Round, issued.Input, issued.Result);
        var (inspected, sampled) = (input.Targets.Count, input.SampledCount);
        await output.WriteLineAsync(report.Notification);
        foreach (var notice in report.Notices)
        {
            await output.WriteLineAsync(notice);
        }

        var kind = r.Kind == TargetKind.Website ? "websites" : "accounts";
        var rate = inspected == 0 ? 0 : 100.0 * report.Qualified / inspected;
        var unfinished = inspected < sampled
            ? string.Create(CultureInfo.InvariantCulture, $"; unfinished: {sampled - inspected} of {sampled} not inspected yet")
            : "";
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"round {r.Id}: {inspected} {kind} inspected, {report.Qualified} qualified ({rate:0.0}%), {input.Findings.Count} findings, {report.Notices.Count} correction notices{unfinished}"));
        if (issued.Mailed is { } outcomes)
        {
            foreach (var outcome in outcomes.Where(o => !o.Sent))
            {
                await output.WriteLineAsync($"not mailed: {outcome.TargetId} ({outcome.Reason})");
            }

            await output.WriteLineAsync($"mailed {outcomes.Count(o => o.Sent)} of {outcomes.Count} correction notices through {issued.MailServer}");
        }

        return 0;
    }

    /// <summary>
    /// <c>sitewatch report --year YYYY [--out DIR]</c>: the annual tables (年度报表-YYYY.xlsx) directly under the folder;
    /// prints the path and a one-line summary. A year without rounds still gets its workbook (saying 无检查轮次).
    /// </summary>
    public static async Task<int> RunYearAsync(App app, int year, string outDirectory, TextWriter output, CancellationToken ct)
    {
        Reports.Annual.AnnualResult result;
        try
        {
            result = await app.Get<AnnualReports>().WriteAsync(year, outDirectory, ct);
        }
        catch (ScoringRulesException e)
        {
            throw new CliException(e.Message);
        }

        await output.WriteLineAsync(result.Path);
        await output.WriteLineAsync(result.Summary);
        return 0;
    }

    private sealed record ReportOutcome(Round Round, int Inspected, int Sampled, int Findings, Reports.ReportResult Result);
}
