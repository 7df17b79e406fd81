using System.Globalization;
using SiteWatch.Core.Model;
using SiteWatch.Scheduling.Service;
using SiteWatch.Storage;

namespace SiteWatch.Cli.Commands;

/// <summary>
/// <c>sitewatch probe [--target ID …]</c>: one availability probe of every website (or of those given) now, the same
/// probe the service's availability-probes schedule runs (one GET of the home page, no retries), recorded in the probes table.
/// </summary>
public static class ProbeCommandHandler
{
    public static async Task<int> RunAsync(App app, IReadOnlyList<string> targetIds, TextWriter output, TextWriter messages, CancellationToken ct)
    {
        var targets = app.Get<TargetStore>();
        IReadOnlyList<Target> websites;
        if (targetIds.Count == 0)
        {
            websites = await targets.ListAsync(ct, TargetKind.Website);
            if (websites.Count == 0)
            {
                throw new CliException("no websites in the registry; import them with `sitewatch targets import FILE`");
            }
        }
        else
        {
            var ids = targetIds.Distinct(StringComparer.Ordinal).ToList();
            var found = await targets.GetManyAsync(ids, ct);
            var unknown = ids.Where(id => !found.ContainsKey(id)).ToList();
            if (unknown.Count > 0)
            {
                throw new CliException($"no target with id {string.Join(", ", unknown)}; see `sitewatch targets list`");
            }

            var accounts = ids.Where(id => found[id].Kind == TargetKind.Account).ToList();
            if (accounts.Count > 0)
            {
                await messages.WriteLineAsync($"sitewatch: accounts are not probed (availability probes are for websites): {string.Join(", ", accounts)}");
            }

            websites = ids.Select(id => found[id]).Where(t => t.Kind == TargetKind.Website).ToList();
            if (websites.Count == 0)
            {
                throw new CliException("nothing to probe: the targets given are all accounts");
            }
        }

        var probes = await app.Get<AvailabilityProbes>().ProbeAsync(websites, ct);
        var table = new TextTable("target", "result", "status", "ms", "reason");
        foreach (var probe in probes)
        {
            table.Add(probe.TargetId, probe.Ok ? "ok" : "failed", probe.StatusCode?.ToString(CultureInfo.InvariantCulture) ?? "-",
                probe.ElapsedMs.ToString(CultureInfo.InvariantCulture), probe.Error ?? "");
        }

        table.WriteTo(output);
        var failed = probes.Count(p => !p.Ok);
        await output.WriteLineAsync($"probed {probes.Count} websites: {probes.Count - failed} ok, {failed} failed; recorded in the probes table");
        return 0;
    }
}
