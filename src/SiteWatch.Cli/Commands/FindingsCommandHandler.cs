using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using SiteWatch.Core.Model;
using SiteWatch.Storage;

namespace SiteWatch.Cli.Commands;

/// <summary><c>sitewatch findings</c>: a round's findings as JSON Lines (contract.md §4), a table or CSV.</summary>
public static class FindingsCommandHandler
{
    private static readonly JsonSerializerOptions Json = new()
    {
        // Chinese text stays readable in the output rather than \uXXXX escapes.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static async Task<int> RunAsync(App app, string? roundId, string format, TextWriter output, CancellationToken ct)
    {
        var rounds = app.Get<RoundStore>();
        var round = roundId is null ? await rounds.LatestAsync(ct) : await rounds.GetAsync(roundId, ct);
        if (round is null)
        {
            throw new CliException(roundId is null ? "no rounds yet; run `sitewatch inspect` first" : $"no round with id {roundId}");
        }

        var findings = await app.Get<FindingStore>().ForRoundAsync(round.Id, ct);
        switch (format)
        {
            case "jsonl":
                foreach (var f in findings)
                {
                    await output.WriteLineAsync(ToJson(f));
                }

                break;
            case "csv":
                await output.WriteLineAsync("round,target,kind,check,severity,url,subject,detail,occurrences,observedAt");
                foreach (var f in findings)
                {
                    await output.WriteLineAsync(string.Join(',', Cells(f).Select(Csv)));
                }

                break;
            default:
                var table = new TextTable("target", "check", "severity", "subject", "detail", "seen");
                foreach (var f in findings)
                {
                    table.Add(f.TargetId, f.Finding.Check, f.Finding.Severity.ToCode(), f.Finding.Subject, f.Finding.Detail,
                        f.Finding.Occurrences.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }

                table.WriteTo(output);
                var targets = findings.Select(f => f.TargetId).Distinct().Count();
                await output.WriteLineAsync($"{findings.Count} findings on {targets} targets in round {round.Id} ({(round.Status == RoundStatus.Complete ? "complete" : "unfinished")})");
                break;
        }

        return 0;
    }

    public static string ToJson(RoundFinding f)
    {
        var o = new Dictionary<string, object?>
        {
            ["round"] = f.RoundId,
            ["target"] = f.TargetId,
            ["kind"] = f.Kind.ToCode(),
            ["check"] = f.Finding.Check,
            ["severity"] = f.Finding.Severity.ToCode(),
            ["url"] = f.Finding.Url,
            ["subject"] = f.Finding.Subject,
            ["detail"] = f.Finding.Detail,
            ["occurrences"] = f.Finding.Occurrences,
            ["observedAt"] = Iso(f.Finding.ObservedAt),
        };
        if (f.Finding.Evidence is { } evidence)
        {
            o["evidence"] = evidence;
        }

        // The stored finding's number: what `sitewatch fixed` and the web pages take (an addition to the contract's fields).
        if (f.Id is { } id)
        {
            o["finding"] = id;
        }

        return JsonSerializer.Serialize(o, Json);
    }

    private static string Iso(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);

    private static IEnumerable<string> Cells(RoundFinding f) =>
    [
        f.RoundId, f.TargetId, f.Kind.ToCode(), f.Finding.Check, f.Finding.Severity.ToCode(), f.Finding.Url, f.Finding.Subject,
        f.Finding.Detail, f.Finding.Occurrences.ToString(System.Globalization.CultureInfo.InvariantCulture), Iso(f.Finding.ObservedAt),
    ];

    /// <summary>RFC 4180 quoting. A cell starting with = + - @ gets a leading apostrophe so a spreadsheet never runs crawled text as a formula.</summary>
    private static string Csv(string cell)
    {
        if (cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@')
        {
            cell = "'" + cell;
        }

        return cell.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + cell.Replace("\"", "\"\"") + "\"" : cell;
    }
}
