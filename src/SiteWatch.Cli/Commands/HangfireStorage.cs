using System.Data.Common;
using System.Net.Sockets;
using Hangfire;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SiteWatch.Scheduling.Service;

namespace SiteWatch.Cli.Commands;

/// <summary>
/// The one place where <c>serve</c> chooses Hangfire's storage (<c>Service:JobStorage</c>): <c>memory</c> on one
/// machine, <c>postgresql</c> (<c>ConnectionStrings:Hangfire</c>) to keep the queue in PostgreSQL, shared by every
/// <c>serve</c> that points at it. SiteWatch's own state stays in its SQLite database either way.
/// </summary>
public sealed class HangfireStorage
{
    public const string StorageKey = "Service:JobStorage";
    public const string ConnectionStringKey = "ConnectionStrings:Hangfire";
    public const string Memory = "memory";
    public const string PostgreSql = "postgresql";

    /// <summary>Hangfire's schema in the PostgreSQL database (Hangfire.PostgreSql's default, named so that it is documented).</summary>
    public const string Schema = "hangfire";

    private HangfireStorage(string kind, string? connectionString)
    {
        Kind = kind;
        ConnectionString = connectionString;
    }

    public string Kind { get; }

    public string? ConnectionString { get; }

    /// <summary>Reads and validates the choice; a mistake is a <see cref="CliException"/> naming the key and the fix.</summary>
    public static HangfireStorage FromConfiguration(ServiceOptions service, IConfiguration configuration)
    {
        var kind = string.IsNullOrWhiteSpace(service.JobStorage) ? Memory : service.JobStorage.Trim().ToLowerInvariant();
        switch (kind)
        {
            case Memory:
                return new HangfireStorage(Memory, null);
            case PostgreSql:
                var connectionString = configuration[ConnectionStringKey];
                if (string.IsNullOrWhiteSpace(connectionString))
                {
                    throw new CliException($"{StorageKey} is {PostgreSql} but {ConnectionStringKey} is not set: set it to the PostgreSQL connection string " +
                        $"(e.g. ConnectionStrings__Hangfire=\"Host=db;Database=sitewatch;Username=sitewatch;Password=…\"), or set {StorageKey} to {Memory}");
                }

                try
                {
                    _ = new NpgsqlConnectionStringBuilder(connectionString);
                }
                catch (ArgumentException e)
                {
                    throw new CliException($"{ConnectionStringKey} is not a PostgreSQL connection string ({e.Message}): write it as Host=…;Database=…;Username=…;Password=…");
                }

                return new HangfireStorage(PostgreSql, connectionString);
            default:
                throw new CliException($"{StorageKey} '{service.JobStorage}' is not a job storage: set it to {Memory} (one machine, the default) " +
                    $"or {PostgreSql} (with {ConnectionStringKey})");
        }
    }

    /// <summary>Points Hangfire at the chosen storage.</summary>
    public void Apply(IGlobalConfiguration configuration)
    {
        if (Kind == PostgreSql)
        {
            configuration.UsePostgreSqlStorage(
                bootstrap => bootstrap.UseNpgsqlConnection(ConnectionString),
                new PostgreSqlStorageOptions { SchemaName = Schema, PrepareSchemaIfNecessary = true });
        }
        else
        {
            configuration.UseInMemoryStorage();
        }
    }

    /// <summary>
    /// Opens the storage now (for PostgreSQL: connects, then creates or upgrades the <c>hangfire</c> schema). An
    /// unreachable database stops <c>serve</c> at start with one line: Hangfire.PostgreSql itself only logs the failure
    /// and leaves the service running without a queue.
    /// </summary>
    public async Task OpenAsync(IServiceProvider services, CancellationToken ct)
    {
        if (Kind == PostgreSql)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString);
                await connection.OpenAsync(ct);
            }
            catch (Exception e) when (e is DbException or SocketException or TimeoutException)
            {
                var builder = new NpgsqlConnectionStringBuilder(ConnectionString);
                throw new CliException($"cannot open the Hangfire job storage in PostgreSQL ({ConnectionStringKey}: host {builder.Host}, port {builder.Port}, " +
                    $"database {builder.Database}): {Reason(e)}; check that the server runs and the connection string is right, or set {StorageKey} to {Memory}");
            }
        }

        _ = services.GetRequiredService<JobStorage>();
    }

    /// <summary>The error with its cause, e.g. "Failed to connect to 127.0.0.1:5432 (Connection refused)".</summary>
    private static string Reason(Exception e) =>
        (e.InnerException is { } cause ? $"{e.Message} ({cause.Message})" : e.Message).ReplaceLineEndings(" ");
}
