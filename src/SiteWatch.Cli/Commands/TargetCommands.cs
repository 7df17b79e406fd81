using System.Text.Encodings.Web;
using System.Text.Json;
using SiteWatch.Core.Model;
using SiteWatch.Reports.Import;
using SiteWatch.Storage;

namespace SiteWatch.Cli.Commands;

/// <summary><c>sitewatch targets import|list</c>.</summary>
public static class TargetCommands
{
    public static async Task<int> ImportAsync(App app, string file, bool dryRun, CancellationToken ct)
    {
        var read = TargetFileReader.Read(file);
        if (!read.Ok)
        {
            // Every bad row, then one summary line; nothing is written (all-or-nothing).
            foreach (var error in read.Errors)
            {
                await Console.Error.WriteLineAsync(error);
            }

            throw new CliException($"{file}: {read.Errors.Count} error(s); nothing imported");
        }

        var (added, updated) = await app.Get<TargetStore>().UpsertAsync(read.Targets, dryRun, ct);
        await Console.Out.WriteLineAsync(dryRun
            ? $"{file}: {read.Targets.Count} rows valid; would add {added} and update {updated} (dry run, nothing written)"
            : $"{file}: {added} added, {updated} updated");
        return 0;
    }

    public static async Task<int> ListAsync(App app, string format, CancellationToken ct)
    {
        var targets = await app.Get<TargetStore>().ListAsync(ct);
        if (format == "jsonl")
        {
            var options = new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
            foreach (var t in targets)
            {
                await Console.Out.WriteLineAsync(JsonSerializer.Serialize(new
                {
                    t.Id, Kind = t.Kind.ToCode(), t.Name, t.Url, t.Platform, t.Account, t.Organization, t.Supervisor, t.Region, t.Level,
                    t.SiteCode, t.Icp, t.ContactEmail,
                }, options));
            }

            return 0;
        }

        var table = new TextTable("id", "kind", "name", "region", "level", "url");
        foreach (var t in targets)
        {
            table.Add(t.Id, t.Kind.ToCode(), t.Name, t.Region, t.Level, t.Url);
        }

        table.WriteTo(Console.Out);
        await Console.Out.WriteLineAsync($"{targets.Count} targets ({targets.Count(t => t.Kind == TargetKind.Website)} websites, {targets.Count(t => t.Kind == TargetKind.Account)} accounts)");
        return 0;
    }
}
