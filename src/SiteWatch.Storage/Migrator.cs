using System.Reflection;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Extensions.Logging;

namespace SiteWatch.Storage;

/// <summary>
/// Brings the schema up to date from the embedded <c>Migrations/NNNN_name.sql</c> scripts, each in its
/// own transaction, recording each in <c>schema_version</c>. Scripts only add: no migration drops data.
/// </summary>
public sealed partial class Migrator(Database database, TimeProvider time, ILogger<Migrator> logger)
{
    public static IReadOnlyList<(int Version, string Name, string Sql)> Scripts { get; } = LoadScripts();

    public static int LatestVersion => Scripts[^1].Version;

    /// <summary>Applies every script newer than the database, up to <paramref name="upTo"/> (tests use it to build an old schema).</summary>
    public async Task<int> MigrateAsync(CancellationToken ct, int upTo = int.MaxValue)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync("""
            CREATE TABLE IF NOT EXISTS schema_version (
                version    INTEGER PRIMARY KEY,
                name       TEXT NOT NULL,
                applied_at TEXT NOT NULL
            )
            """);
        var current = await connection.ExecuteScalarAsync<int?>("SELECT MAX(version) FROM schema_version") ?? 0;
        if (current > LatestVersion)
        {
            throw new InvalidOperationException(
                $"database {database.Path} has schema version {current}, newer than this SiteWatch knows ({LatestVersion}); upgrade SiteWatch");
        }

        foreach (var (version, name, sql) in Scripts)
        {
            if (version <= current || version > upTo)
            {
                continue;
            }

            await using var tx = await connection.BeginTransactionAsync(ct);
            await connection.ExecuteAsync(sql, transaction: tx);
            await connection.ExecuteAsync(
                "INSERT INTO schema_version (version, name, applied_at) VALUES (@version, @name, @at)",
                new { version, name, at = time.GetUtcNow().ToString("o") },
                tx);
            await tx.CommitAsync(ct);
            logger.LogInformation("Applied migration {Version} {Name} to {Database}", version, name, database.Path);
            current = version;
        }

        return current;
    }

    private static List<(int, string, string)> LoadScripts()
    {
        var assembly = typeof(Migrator).Assembly;
        var scripts = new List<(int, string, string)>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var match = ScriptName().Match(resource);
            if (!match.Success)
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            scripts.Add((int.Parse(match.Groups[1].Value), match.Groups[2].Value, reader.ReadToEnd()));
        }

        scripts.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        for (var i = 0; i < scripts.Count; i++)
        {
            if (scripts[i].Item1 != i + 1)
            {
                throw new InvalidOperationException($"migration scripts must be numbered 1..n without gaps; found {scripts[i].Item1} at position {i + 1}");
            }
        }

        return scripts;
    }

    [GeneratedRegex(@"^Migrations\.(\d{4})_(.+)\.sql$")]
    private static partial Regex ScriptName();
}
