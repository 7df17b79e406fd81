using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SiteWatch.Core.Model;
using SiteWatch.Scheduling;

namespace SiteWatch.Cli.Commands;

public sealed record InspectArguments(string? RoundId, bool All, double? Sample, int? Seed, IReadOnlyList<string> Targets, TargetKind Kind);

/// <summary><c>sitewatch inspect</c>: create or resume a round, inspect it with a progress line on stderr.</summary>
public static class InspectCommandHandler
{
    public static async Task<int> RunAsync(App app, InspectArguments args, CancellationToken ct)
    {
        if (args.All && args.Sample is not null)
        {
            throw new CliException("--all and --sample exclude each other");
        }

        // Resolving the runner opens the country database (Geo:CountryDatabase): missing, it stops here, before a round is made.
        var runner = app.Get<RoundRunner>();
        var asOf = app.AsOf;
        var round = await runner.PrepareAsync(new RoundRequest
        {
            RoundId = args.RoundId,
            Kind = args.Kind,
            All = args.All,
            SampleFraction = args.Sample ?? 0.3,
            Seed = args.Seed ?? DefaultSeed(args.RoundId ?? asOf.ToString("yyyy'Q'", CultureInfo.InvariantCulture) + ((asOf.Month - 1) / 3 + 1)),
            TargetIds = args.Targets,
            AsOf = asOf,
        }, ct);

        if (round.Status == RoundStatus.Complete)
        {
            await Console.Error.WriteLineAsync($"round {round.Id} is already complete; see `sitewatch findings --round {round.Id}`");
            return 0;
        }

        using var line = new ProgressLine(Console.Error);
        var complete = await runner.RunAsync(round, line, ct);
        line.Finish();
        await Console.Error.WriteLineAsync(complete
            ? $"round {round.Id} complete (as of {round.AsOf:yyyy-MM-dd HH:mm zzz}); findings: sitewatch findings --round {round.Id}"
            : $"round {round.Id} is not complete; run the same command again to finish it");
        return complete ? 0 : 1;
    }

    /// <summary>A seed derived from the round id, so that re-running a round's draw gives the same sample.</summary>
    private static int DefaultSeed(string roundId) => BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes(roundId)), 0) & int.MaxValue;
}

/// <summary>
/// The progress line: rewritten in place on a terminal; when stderr is a file or a pipe (CI, a service),
/// one line per finished target so the log stays readable.
/// </summary>
public sealed class ProgressLine(TextWriter writer) : IProgress<RoundProgress>, IDisposable
{
    private readonly bool terminal = !Console.IsErrorRedirected;
    private readonly object gate = new();
    private int lastDone = -1;
    private int width;

    public void Report(RoundProgress p)
    {
        var rate = p.Elapsed.TotalSeconds > 0 ? p.Pages / p.Elapsed.TotalSeconds : 0;
        var text = string.Create(CultureInfo.InvariantCulture,
            $"[{p.RoundId}] {p.TargetsDone}/{p.TargetsTotal} targets · {p.Pages} pages · {p.Links} links · {p.Findings} findings · {rate:0} pages/s · {p.Elapsed:mm\\:ss}");
        lock (gate)
        {
            if (terminal)
            {
                writer.Write("\r" + text.PadRight(width));
                width = text.Length;
            }
            else if (p.TargetsDone != lastDone)
            {
                writer.WriteLine(text);
                lastDone = p.TargetsDone;
            }
        }
    }

    public void Finish()
    {
        lock (gate)
        {
            if (terminal && width > 0)
            {
                writer.WriteLine();
                width = 0;
            }
        }
    }

    public void Dispose() => Finish();
}
