using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace SiteWatch.Cli.Tests;

/// <summary>
/// A throwaway PostgreSQL cluster in a folder of its own: initdb and pg_ctl from Debian's /usr/lib/postgresql/*/bin
/// (tests/setup.sh installs them), listening on 127.0.0.1 only, on a free port, with its socket in the folder and trust
/// authentication; stopped and deleted on dispose. initdb refuses to run as root, so as root the cluster runs as the
/// <c>postgres</c> user the Debian package creates.
/// </summary>
internal sealed class TempPostgres : IAsyncDisposable
{
    private const string User = "sitewatch";

    private readonly string folder;
    private readonly string bin;
    private bool started;

    private TempPostgres(string folder, string bin, int port)
    {
        this.folder = folder;
        this.bin = bin;
        Port = port;
    }

    public int Port { get; }

    private string Data => Path.Combine(folder, "data");

    /// <summary>Starts a cluster in <paramref name="parent"/>/pg and creates <paramref name="database"/>; fails saying what to install when PostgreSQL is missing.</summary>
    public static async Task<TempPostgres> StartAsync(string parent, string database)
    {
        var bin = FindBin() ?? throw new InvalidOperationException(
            "PostgreSQL is not installed (no initdb and pg_ctl under /usr/lib/postgresql/*/bin): run tests/setup.sh, which installs Debian's postgresql package");
        var folder = Path.Combine(parent, "pg");
        Directory.CreateDirectory(folder);
        if (IsRoot)
        {
            await RunAsync(folder, "chown", "postgres:postgres", folder);
        }

        var cluster = new TempPostgres(folder, bin, FreePort());
        try
        {
            await cluster.RunAsPostgresAsync("initdb", "-D", cluster.Data, "-U", User, "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync");
            cluster.started = true;
            await cluster.RunAsPostgresAsync("pg_ctl", "-D", cluster.Data, "-l", Path.Combine(folder, "server.log"), "-w", "-t", "30",
                "-o", $"-c listen_addresses=127.0.0.1 -p {cluster.Port} -k {folder} -c fsync=off -c synchronous_commit=off -c full_page_writes=off", "start");
            await using var connection = new NpgsqlConnection(cluster.ConnectionString("postgres"));
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
            await create.ExecuteNonQueryAsync();
            return cluster;
        }
        catch (Exception e)
        {
            var log = Path.Combine(folder, "server.log");
            var tail = File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(20)) : "(no server log)";
            await cluster.DisposeAsync();
            throw new InvalidOperationException($"could not start a PostgreSQL cluster with {bin}: {e.Message}\n{tail}", e);
        }
    }

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Database = database, Username = User, Pooling = false }.ConnectionString;

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (started)
            {
                await RunAsPostgresAsync("pg_ctl", "-D", Data, "-m", "immediate", "-w", "-t", "30", "stop");
            }
        }
        catch (InvalidOperationException)
        {
            // not running (start failed); the folder goes all the same
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static bool IsRoot => Environment.UserName == "root";

    /// <summary>The bin folder of the newest installed PostgreSQL that has initdb and pg_ctl.</summary>
    private static string? FindBin() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "initdb")) && File.Exists(Path.Combine(b, "pg_ctl")))
                .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;

    private Task RunAsPostgresAsync(string tool, params string[] args) =>
        IsRoot ? RunAsync(folder, "runuser", ["-u", "postgres", "--", Path.Combine(bin, tool), .. args]) : RunAsync(folder, Path.Combine(bin, tool), args);

    private static async Task RunAsync(string workingDirectory, string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {process.ExitCode}: {(await stderr).Trim()} {(await stdout).Trim()}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
