using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using SiteWatch.Core.Model;
using SiteWatch.Reports;
using SiteWatch.Scheduling.Corrections;
using SiteWatch.Storage;

namespace SiteWatch.Cli.Commands;

/// <summary>
/// The correction loop (整改) on the command line: <c>sitewatch corrections</c> lists the cases, <c>sitewatch fixed</c>
/// records a webmaster's claim, <c>sitewatch recheck</c> re-checks now (the service does it on its own every day and
/// after every claim made in the web pages).
/// </summary>
public static class CorrectionsCommandHandler
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task<int> ListAsync(App app, string? targetId, bool all, bool overdueOnly, string format, TextWriter output, CancellationToken ct)
    {
        var today = CorrectionStates.Today(app.AsOf);
        var cases = (await app.Get<CorrectionStore>().ListAsync(openOnly: !all, ct, targetId))
            .Where(c => !overdueOnly || c.IsOverdue(today)).ToList();
        if (format == "jsonl")
        {
            foreach (var c in cases)
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(new
                {
                    finding = c.FindingId, round = c.RoundId, target = c.TargetId, check = c.Finding.Check, severity = c.Finding.Severity.ToCode(),
                    url = c.Finding.Url, subject = c.Finding.Subject, detail = c.Finding.Detail, state = c.State.ToCode(),
                    due = c.Due?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), overdue = c.IsOverdue(today),
                    checkedAt = c.CheckedAt, lastCheck = c.LastCheck, closedAt = c.ClosedAt,
                }, Json));
            }

            return 0;
        }

        var table = new TextTable("finding", "target", "round", "check", "subject", "state", "due", "last re-check");
        foreach (var c in cases)
        {
            table.Add(c.FindingId.ToString(CultureInfo.InvariantCulture), c.TargetId, c.RoundId, ProblemText.CheckName(c.Finding.Check), c.Finding.Subject,
                c.State.DisplayName(), c.Due is { } due ? due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + (c.IsOverdue(today) ? " 逾期 overdue" : "") : "",
                c.LastCheck);
        }

        table.WriteTo(output);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{cases.Count} {(all ? "" : "open ")}cases, {cases.Count(c => c.IsOverdue(today))} overdue on {today:yyyy-MM-dd}"));
        return 0;
    }

    public static async Task<int> FixedAsync(App app, long findingId, string comment, string by, TextWriter output, CancellationToken ct)
    {
        Correction claimed;
        try
        {
            claimed = await app.Get<CorrectionStore>().ClaimAsync(findingId, by, comment, ct);
        }
        catch (CorrectionException e)
        {
            throw new CliException(e.Message);
        }

        await output.WriteLineAsync($"finding {claimed.FindingId} ({claimed.TargetId}, {claimed.Finding.Check} {claimed.Finding.Subject}) marked fixed by {by}; " +
            $"`sitewatch recheck --target {claimed.TargetId}` (or the service's next re-check) confirms or reopens it");
        return 0;
    }

    public static async Task<int> RecheckAsync(App app, IReadOnlyList<string> targetIds, TextWriter output, CancellationToken ct)
    {
        var corrections = app.Get<CorrectionStore>();
        var targets = targetIds.Count > 0 ? targetIds : await corrections.TargetsWithOpenAsync(ct);
        var registry = await app.Get<TargetStore>().GetManyAsync(targetIds, ct);
        if (targetIds.FirstOrDefault(id => !registry.ContainsKey(id)) is { } unknown)
        {
            throw new CliException($"no target with id {unknown} in the registry (see `sitewatch targets list`)");
        }

        var outcomes = new List<RecheckOutcome>();
        foreach (var targetId in targets)
        {
            var done = await app.Get<Rechecks>().RecheckTargetAsync(targetId, ct);
            foreach (var o in done)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{o.Correction.FindingId} {o.Correction.TargetId} {o.Correction.Finding.Check} {o.Correction.Finding.Subject}: {o.State.ToCode()} — {o.Note}"));
            }

            outcomes.AddRange(done);
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"re-checked {outcomes.Count} open findings on {targets.Count} targets: {outcomes.Count(o => o.State == CorrectionState.Verified)} verified, " +
            $"{outcomes.Count(o => o.State == CorrectionState.Reopened)} reopened, {outcomes.Count(o => o.Verdict == RecheckVerdict.StillThere && o.State != CorrectionState.Reopened)} still there, " +
            $"{outcomes.Count(o => o.Verdict == RecheckVerdict.Undecided)} undecided"));
        return 0;
    }
}
