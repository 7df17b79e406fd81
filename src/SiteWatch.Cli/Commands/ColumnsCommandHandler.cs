using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using SiteWatch.Core.Rules;
using SiteWatch.Storage;

namespace SiteWatch.Cli.Commands;

/// <summary><c>sitewatch columns</c>: the columns (栏目) found on each website of a round, with what was judged.</summary>
public static class ColumnsCommandHandler
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task<int> RunAsync(App app, string? roundId, string? targetId, string format, TextWriter output, CancellationToken ct)
    {
        var rounds = app.Get<RoundStore>();
        var round = roundId is null ? await rounds.LatestAsync(ct) : await rounds.GetAsync(roundId, ct);
        if (round is null)
        {
            throw new CliException(roundId is null ? "no rounds yet; run `sitewatch inspect` first" : $"no round with id {roundId}");
        }

        var classes = app.Get<RuleSet>().Columns.Classes.ToDictionary(c => c.Key, c => c.Name, StringComparer.Ordinal);
        var columns = await rounds.ColumnsAsync(round.Id, targetId, ct);
        var asOf = round.AsOfDay;
        if (format == "jsonl")
        {
            foreach (var (target, c) in columns)
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(new
                {
                    round = round.Id, target, listUrl = c.ListUrl, name = c.Name, @class = c.Class, items = c.Items, datedItems = c.DatedItems,
                    newest = c.Newest?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ageDays = c.Newest is { } n ? asOf.DayNumber - n.DayNumber : (int?)null,
                    pagesRead = c.PagesRead, rendered = c.Rendered, blank = c.IsBlank, placeholder = c.Placeholder,
                }, Json));
            }

            return 0;
        }

        var table = new TextTable("target", "column", "class", "newest", "age", "items", "list page");
        foreach (var (target, c) in columns)
        {
            table.Add(target, c.Name, c.Class is { } k ? classes.GetValueOrDefault(k, k) : "(not judged)",
                c.IsBlank ? "blank" : c.Newest?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "undated",
                c.Newest is { } n ? (asOf.DayNumber - n.DayNumber).ToString(CultureInfo.InvariantCulture) : "",
                $"{c.DatedItems}/{c.Items}{(c.Rendered ? " (browser)" : "")}", c.ListUrl);
        }

        table.WriteTo(output);
        await output.WriteLineAsync($"{columns.Count} columns on {columns.Select(c => c.TargetId).Distinct().Count()} targets in round {round.Id}; ages from {asOf:yyyy-MM-dd}");
        return 0;
    }
}
