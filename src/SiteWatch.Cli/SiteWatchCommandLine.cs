using System.CommandLine;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Serilog;
using SiteWatch.Cli.Commands;
using SiteWatch.Core.Model;
using SiteWatch.Crawling.Geo;
using SiteWatch.Rules;
using SiteWatch.Scheduling;

namespace SiteWatch.Cli;

/// <summary>The command tree of contract.md §1. Handlers live in Commands/; this file only wires options.</summary>
public static class SiteWatchCommandLine
{
    private static readonly Option<string?> Db = new("--db") { Description = "SQLite database file (default: Storage:Database)", Recursive = true };
    private static readonly Option<string?> Config = new("--config") { Description = "extra JSON config layered over appsettings.json", Recursive = true };
    private static readonly Option<string?> RulesDir = new("--rules") { Description = "crawler-rules folder (default: crawler-rules/)", Recursive = true };
    private static readonly Option<string?> AsOf = new("--as-of") { Description = "monitoring time point, ISO 8601 with offset (default: now)", Recursive = true };
    private static readonly Option<bool> Verbose = new("--verbose") { Description = "detailed logs and stack traces on stderr", Recursive = true };

    public static RootCommand Build()
    {
        var root = new RootCommand("SiteWatch — inspection of government websites and new-media accounts (政府网站与政务新媒体监管)");
        root.Options.Add(Db);
        root.Options.Add(Config);
        root.Options.Add(RulesDir);
        root.Options.Add(AsOf);
        root.Options.Add(Verbose);
        root.Subcommands.Add(TargetsCommand());
        root.Subcommands.Add(InspectCommand());
        root.Subcommands.Add(FindingsCommand());
        root.Subcommands.Add(ColumnsCommand());
        root.Subcommands.Add(ReportCommand());
        root.Subcommands.Add(CorrectionsCommand());
        root.Subcommands.Add(FixedCommand());
        root.Subcommands.Add(RecheckCommand());
        root.Subcommands.Add(ProbeCommand());
        root.Subcommands.Add(ServeCommand());
        root.Subcommands.Add(UsersCommand());
        root.Subcommands.Add(DemoCommand());
        return root;
    }

    private static Command TargetsCommand()
    {
        var file = new Argument<string>("FILE") { Description = ".csv (UTF-8 or GB18030) or .xlsx targets file" };
        var dryRun = new Option<bool>("--dry-run") { Description = "validate and count, change nothing" };
        var import = new Command("import", "upsert targets from a file; all-or-nothing") { file, dryRun };
        import.SetAction((r, ct) => Run(r, (app, c) => TargetCommands.ImportAsync(app, r.GetValue(file)!, r.GetValue(dryRun), c), ct));

        var format = FormatOption("table", "table", "jsonl");
        var list = new Command("list", "list the registry") { format };
        list.SetAction((r, ct) => Run(r, (app, c) => TargetCommands.ListAsync(app, r.GetValue(format)!, c), ct));

        return new Command("targets", "the registry of websites and accounts") { import, list };
    }

    private static Command InspectCommand()
    {
        var round = new Option<string?>("--round") { Description = "round id to create or resume (default: the quarter of --as-of, e.g. 2026Q4)" };
        var all = new Option<bool>("--all") { Description = "inspect every target instead of a sample" };
        var sample = new Option<double?>("--sample") { Description = "fraction to sample per region, 0.3..1 (default 0.3)" };
        var seed = new Option<int?>("--seed") { Description = "seed of the random sample (default: derived from the round id)" };
        var target = new Option<string[]>("--target") { Description = "inspect just these target ids", AllowMultipleArgumentsPerToken = true };
        var kind = new Option<string>("--kind") { Description = "website or account", DefaultValueFactory = _ => "website" };
        kind.AcceptOnlyFromAmong("website", "account");
        var command = new Command("inspect", "create or resume an inspection round and inspect its sample") { round, all, sample, seed, target, kind };
        command.SetAction((r, ct) => Run(r, (app, c) => InspectCommandHandler.RunAsync(app, new InspectArguments(
            r.GetValue(round), r.GetValue(all), r.GetValue(sample), r.GetValue(seed), r.GetValue(target) ?? [],
            TargetKinds.FromCode(r.GetValue(kind)!)), c), ct));
        return command;
    }

    private static Command FindingsCommand()
    {
        var round = new Option<string?>("--round") { Description = "round id (default: the latest round)" };
        var format = FormatOption("table", "jsonl", "table", "csv");
        var command = new Command("findings", "print the findings of a round") { round, format };
        command.SetAction((r, ct) => Run(r, (app, c) => FindingsCommandHandler.RunAsync(app, r.GetValue(round), r.GetValue(format)!, Console.Out, c), ct));
        return command;
    }

    private static Command UsersCommand()
    {
        var name = new Argument<string>("name") { Description = "login name" };
        var role = new Option<string>("--role") { Description = "admin | inspector | webmaster", Required = true };
        var organization = new Option<string?>("--organization") { Description = "a webmaster's organization (主办单位)" };
        var add = new Command("add", "create or update a login of the web pages; the password comes from standard input or SITEWATCH_PASSWORD") { name, role, organization };
        add.SetAction((r, ct) => Run(r, (app, c) => UsersCommandHandler.AddAsync(app, r.GetValue(name)!, r.GetValue(role)!, r.GetValue(organization), Console.In, c), ct));
        return new Command("users", "logins of the web pages") { add };
    }

    private static Command ProbeCommand()
    {
        var target = new Option<string[]>("--target") { Description = "probe just these website ids (accounts are not probed)", AllowMultipleArgumentsPerToken = true };
        var command = new Command("probe", "one availability probe of every website (or those given) now, recorded in the database") { target };
        command.SetAction((r, ct) => Run(r, (app, c) => ProbeCommandHandler.RunAsync(app, r.GetValue(target) ?? [], Console.Out, Console.Error, c), ct));
        return command;
    }

    private static Command ServeCommand()
    {
        var urls = new Option<string?>("--urls") { Description = "where the web pages listen (default Service:Urls, http://127.0.0.1:5080)" };
        var command = new Command("serve", "run the service: schedules (Quartz), inspection jobs (Hangfire, dashboard at /jobs) and the web pages") { urls };
        command.SetAction(async (r, ct) =>
        {
            try
            {
                return await ServeCommandHandler.RunAsync(ReadGlobals(r), r.GetValue(urls), ct);
            }
            catch (Exception e) when (IsExpected(e) && !r.GetValue(Verbose))
            {
                await Console.Error.WriteLineAsync($"sitewatch: {OneLine(e)}");
                return 1;
            }
        });
        return command;
    }

    private static Command ColumnsCommand()
    {
        var round = new Option<string?>("--round") { Description = "round id (default: the latest round)" };
        var target = new Option<string?>("--target") { Description = "only this target's columns" };
        var format = FormatOption("table", "jsonl", "table");
        var command = new Command("columns", "print the columns (栏目) found on each website of a round, with their newest items") { round, target, format };
        command.SetAction((r, ct) => Run(r, (app, c) => ColumnsCommandHandler.RunAsync(app, r.GetValue(round), r.GetValue(target), r.GetValue(format)!, Console.Out, c), ct));
        return command;
    }

    private static Command CorrectionsCommand()
    {
        var target = new Option<string?>("--target") { Description = "only this target's cases" };
        var all = new Option<bool>("--all") { Description = "closed cases too (verified, superseded)" };
        var overdue = new Option<bool>("--overdue") { Description = "only open cases past their notice's deadline (as of --as-of or today)" };
        var format = FormatOption("table", "jsonl", "table");
        var command = new Command("corrections", "the correction loop (整改): open findings, their state, deadline and last re-check") { target, all, overdue, format };
        command.SetAction((r, ct) => Run(r, (app, c) => CorrectionsCommandHandler.ListAsync(app, r.GetValue(target), r.GetValue(all), r.GetValue(overdue), r.GetValue(format)!, Console.Out, c), ct));
        return command;
    }

    private static Command FixedCommand()
    {
        var finding = new Argument<long>("FINDING") { Description = "the finding's number (see `sitewatch corrections`)" };
        var comment = new Option<string>("--comment") { Description = "what was fixed (required)", Required = true };
        var by = new Option<string>("--by") { Description = "who fixed it (default: the user running the command)", DefaultValueFactory = _ => Environment.UserName };
        var command = new Command("fixed", "record that a finding was fixed (已整改); the next re-check confirms or reopens it") { finding, comment, by };
        command.SetAction((r, ct) => Run(r, (app, c) => CorrectionsCommandHandler.FixedAsync(app, r.GetValue(finding), r.GetValue(comment)!, r.GetValue(by)!, Console.Out, c), ct));
        return command;
    }

    private static Command RecheckCommand()
    {
        var target = new Option<string[]>("--target") { Description = "re-check these targets (default: every target with open findings)", AllowMultipleArgumentsPerToken = true };
        var command = new Command("recheck", "re-check open findings now (整改复查): verified when gone, reopened when a claimed fix is not there") { target };
        command.SetAction((r, ct) => Run(r, (app, c) => CorrectionsCommandHandler.RecheckAsync(app, r.GetValue(target) ?? [], Console.Out, c), ct));
        return command;
    }

    private static Command ReportCommand()
    {
        var round = new Option<string?>("--round") { Description = "round id (default: the latest round)" };
        var output = new Option<string>("--out") { Description = "folder to write under (default: reports/)", DefaultValueFactory = _ => "reports" };
        var mail = new Option<bool>("--mail") { Description = "also e-mail each correction notice to its target's contact_email (Mail:* settings)" };
        var year = new Option<int?>("--year") { Description = "instead of a round: the annual tables (年度报表-YYYY.xlsx) of the rounds whose as-of falls in that year" };
        var command = new Command("report", "write the notification workbook (通报) and a correction notice (整改通知) per target with findings, or with --year the annual tables (年度报表)")
        {
            round, output, mail, year,
        };
        command.SetAction(async (r, ct) =>
        {
            if (r.GetValue(year) is not { } annual)
            {
                return await Run(r, (app, c) => ReportCommandHandler.RunAsync(app, r.GetValue(round), r.GetValue(output)!, Console.Out, c, r.GetValue(mail)), ct);
            }

            var conflict = r.GetValue(round) is not null ? "--year and --round cannot be used together: --year reports a whole year, --round one round"
                : r.GetValue(mail) ? "--mail sends a round's correction notices; it cannot be used with --year"
                : annual is < 1 or > 9999 ? $"--year {annual} is not a calendar year such as 2026"
                : null;
            if (conflict is not null)
            {
                await Console.Error.WriteLineAsync($"sitewatch: {conflict}");
                return 1;
            }

            return await Run(r, (app, c) => ReportCommandHandler.RunYearAsync(app, annual, r.GetValue(output)!, Console.Out, c), ct);
        });
        return command;
    }

    private static Command DemoCommand()
    {
        var command = new Command("demo", "the one-minute tour: serve the sample province on loopback, inspect it, show the findings");
        command.SetAction(async (r, ct) =>
        {
            try
            {
                return await DemoCommandHandler.RunAsync(ReadGlobals(r), ct);
            }
            catch (CliException e)
            {
                await Console.Error.WriteLineAsync($"sitewatch: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static Option<string> FormatOption(string fallback, params string[] allowed)
    {
        var format = new Option<string>("--format") { Description = string.Join(" | ", allowed), DefaultValueFactory = _ => fallback };
        format.AcceptOnlyFromAmong(allowed);
        return format;
    }

    internal static GlobalOptions ReadGlobals(ParseResult r)
    {
        DateTimeOffset? asOf = null;
        if (r.GetValue(AsOf) is { } text)
        {
            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            {
                throw new CliException($"--as-of '{text}' is not an ISO 8601 time such as 2026-11-20T10:00:00+08:00");
            }

            asOf = parsed;
        }

        return new GlobalOptions(r.GetValue(Db), r.GetValue(Config), r.GetValue(RulesDir), asOf, r.GetValue(Verbose));
    }

    /// <summary>Builds the app for a command, runs it, and turns expected failures into one line and exit code 1.</summary>
    internal static async Task<int> Run(ParseResult r, Func<App, CancellationToken, Task<int>> action, CancellationToken ct)
    {
        GlobalOptions globals;
        try
        {
            globals = ReadGlobals(r);
        }
        catch (CliException e)
        {
            await Console.Error.WriteLineAsync($"sitewatch: {e.Message}");
            return 1;
        }

        return await RunWith(globals, action, ct);
    }

    internal static async Task<int> RunWith(GlobalOptions globals, Func<App, CancellationToken, Task<int>> action, CancellationToken ct)
    {
        var verbose = globals.Verbose;
        try
        {
            await using var app = await App.StartAsync(globals, ct);
            return await action(app, ct);
        }
        catch (Exception e) when (IsExpected(e) && !verbose)
        {
            await Console.Error.WriteLineAsync($"sitewatch: {OneLine(e)}");
            return 1;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("sitewatch: interrupted; run the same command again to resume");
            return 1;
        }
        catch (Exception e)
        {
            await Console.Error.WriteLineAsync(verbose ? e.ToString() : $"sitewatch: {OneLine(e)} (run with --verbose for details)");
            return 1;
        }
        finally
        {
            await Log.CloseAndFlushAsync();
        }
    }

    internal static bool IsExpected(Exception e) =>
        e is CliException or RoundException or RuleFileException or CountryDatabaseException or SqliteException or IOException
            or UnauthorizedAccessException or InvalidOperationException;

    private static string OneLine(Exception e) => e.Message.ReplaceLineEndings(" ");
}
