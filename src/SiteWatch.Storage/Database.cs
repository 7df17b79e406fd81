using System.Data;
using Microsoft.Data.Sqlite;

namespace SiteWatch.Storage;

/// <summary>Opens connections to the SiteWatch SQLite file, configured for a crawler that writes while a UI reads.</summary>
public sealed class Database
{
    private readonly string connectionString;

    public Database(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        var folder = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }

    public async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(ct);
        using var pragma = connection.CreateCommand();

        // WAL lets the UI read while a round writes; NORMAL sync is durable at every checkpoint and
        // loses at most the last transaction on power loss, never corrupts. busy_timeout turns brief
        // lock contention between processes into waiting rather than errors.
        pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;";
        await pragma.ExecuteNonQueryAsync(ct);
        return connection;
    }

    internal static async Task<IDbTransaction> BeginAsync(SqliteConnection connection, CancellationToken ct) =>
        await connection.BeginTransactionAsync(IsolationLevel.Serializable, ct);
}
