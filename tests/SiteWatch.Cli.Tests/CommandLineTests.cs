using System.Text.Json;
using SiteWatch.TestKit;

namespace SiteWatch.Cli.Tests;

/// <summary>The contract's surface: exit codes, one-line errors, import all-or-nothing, the findings formats.</summary>
public sealed class CommandLineTests : IAsyncLifetime
{
    private readonly TempFolder folder = new();
    private FixtureSites sites = null!;

    public async Task InitializeAsync() => sites = await FixtureSites.StartAsync();

    public async Task DisposeAsync()
    {
        await sites.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        folder.Dispose();
    }

    [Fact]
    public async Task Import_ChangesNothing_AndNamesEveryBadRow_WhenOneRowIsBad()
    {
        var good = Csv("good.csv", "4306260001,website,临江县人民政府,http://www.linjiang.gov.cn/,临江县人民政府办公室,临江县,4306260001");
        var bad = Csv("bad.csv",
            "4306260002,website,青山县人民政府,http://www.qingshan.gov.cn/,青山县人民政府办公室,青山县,4306260002",
            "4306260003,website,东湖区人民政府,not a url,东湖区人民政府办公室,东湖区,4306260003");

        var dry = await Run("targets", "import", good, "--dry-run");
        Assert.Equal(0, dry.ExitCode);
        Assert.Contains("would add 1 and update 0 (dry run, nothing written)", dry.Stdout);
        Assert.Contains("0 targets", (await Run("targets", "list")).Stdout);

        Assert.Contains("1 added, 0 updated", (await Run("targets", "import", good)).Stdout);
        var failed = await Run("targets", "import", bad);

        Assert.Equal(1, failed.ExitCode);
        Assert.Contains($"{bad}:3: url 'not a url' is not an absolute http(s) address", failed.Stderr);
        Assert.Contains($"sitewatch: {bad}: 1 error(s); nothing imported", failed.Stderr);
        var list = await Run("targets", "list", "--format", "jsonl");
        var only = Assert.Single(list.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("临江县人民政府", JsonDocument.Parse(only).RootElement.GetProperty("name").GetString());
    }

    [Fact]
    public async Task FindingsJsonl_FollowsTheContract()
    {
        Assert.Equal(0, (await Run("targets", "import", Csv("t.csv", "4306260001,website,临江县人民政府,http://www.linjiang.gov.cn/,临江县人民政府办公室,临江县,4306260001"))).ExitCode);
        var inspect = await Run("inspect", "--all", "--as-of", "2026-11-20T10:00:00+08:00");
        Assert.True(inspect.ExitCode == 0, inspect.Stderr);
        Assert.Contains("round 2026Q4 complete", inspect.Stderr);
        Assert.Contains("[2026Q4] 1/1 targets", inspect.Stderr);

        var jsonl = await Run("findings", "--format", "jsonl");

        var lines = jsonl.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(FixtureSites.ExpectedDeadLinks.Count, lines.Length);
        var first = JsonDocument.Parse(lines.First(l => l.Contains("sjkf", StringComparison.Ordinal))).RootElement;
        Assert.Equal("2026Q4", first.GetProperty("round").GetString());
        Assert.True(first.GetProperty("finding").GetInt64() > 0);
        Assert.Equal("4306260001", first.GetProperty("target").GetString());
        Assert.Equal("website", first.GetProperty("kind").GetString());
        Assert.Equal("dead-link", first.GetProperty("check").GetString());
        Assert.Equal("deduct", first.GetProperty("severity").GetString());
        Assert.Equal("http://www.linjiang.gov.cn/", first.GetProperty("url").GetString());
        Assert.Equal("http://www.linjiang.gov.cn/sjkf/index.html", first.GetProperty("subject").GetString());
        Assert.StartsWith("HTTP 404", first.GetProperty("detail").GetString());
        Assert.Equal(4, first.GetProperty("occurrences").GetInt32());
        Assert.Equal("2026-11-20T10:00:00+08:00", first.GetProperty("observedAt").GetString());

        var csv = await Run("findings", "--format", "csv");
        Assert.StartsWith("round,target,kind,check,severity,url,subject,detail,occurrences,observedAt", csv.Stdout);
        Assert.Equal(lines.Length + 1, csv.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        var table = await Run("findings", "--format", "table");
        Assert.Contains($"{lines.Length} findings on 1 targets in round 2026Q4 (complete)", table.Stdout);

        var again = await Run("inspect", "--round", "2026Q4");
        Assert.Contains("round 2026Q4 is already complete", again.Stderr);
    }

    [Fact]
    public async Task Columns_ListsTheColumnsFoundInTheRound_WithTheirNewestItems()
    {
        Assert.Equal(0, (await Run("targets", "import", Csv("t.csv", "4306260001,website,临江县人民政府,http://www.linjiang.gov.cn/,临江县人民政府办公室,临江县,4306260001"))).ExitCode);
        Assert.Equal(0, (await Run("inspect", "--all", "--as-of", "2026-11-23T10:00:00+08:00")).ExitCode);

        var jsonl = await Run("columns", "--format", "jsonl");
        var table = await Run("columns");

        var columns = jsonl.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)
            .ToDictionary(c => c.GetProperty("name").GetString()!);
        Assert.Equal(new[] { "要闻动态", "通知公告" }, columns.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("news", columns["要闻动态"].GetProperty("class").GetString());
        Assert.Equal("2026-11-20", columns["要闻动态"].GetProperty("newest").GetString());
        Assert.Equal(3, columns["要闻动态"].GetProperty("ageDays").GetInt32());
        Assert.Equal("http://www.linjiang.gov.cn/col/tzgg/index.html", columns["通知公告"].GetProperty("listUrl").GetString());
        Assert.Contains("通知公告/政策文件类", table.Stdout);
        Assert.Contains("2 columns on 1 targets in round 2026Q4; ages from 2026-11-23", table.Stdout);
    }

    [Fact]
    public async Task Report_WritesTheNotificationAndANoticePerTargetWithFindings()
    {
        Assert.Equal(0, (await Run("targets", "import", Csv("t.csv", "4306260001,website,临江县人民政府,http://www.linjiang.gov.cn/,临江县人民政府办公室,临江县,4306260001"))).ExitCode);
        Assert.Equal(0, (await Run("inspect", "--all", "--as-of", "2026-11-20T10:00:00+08:00")).ExitCode);
        var findings = (await Run("findings", "--format", "jsonl")).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        var output = folder.File("out");

        var report = await Run("report", "--out", output);

        Assert.True(report.ExitCode == 0, report.Stderr);
        var notification = Path.Combine(output, "2026Q4", "通报-2026Q4.xlsx");
        var notice = Path.Combine(output, "2026Q4", "整改通知", "4306260001-临江县人民政府.xlsx");
        var lines = report.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal([notification, notice], lines[..2]);
        Assert.Equal($"round 2026Q4: 1 websites inspected, 1 qualified (100.0%), {findings} findings, 1 correction notices", lines[2]);
        Assert.True(File.Exists(notification) && File.Exists(notice));
        using var book = new ClosedXML.Excel.XLWorkbook(notification);
        Assert.Equal(findings + 1, book.Worksheet("问题明细").LastRowUsed().RowNumber());
    }

    [Fact]
    public async Task ReportYear_WritesTheAnnualTables_AndSaysSoForAYearWithoutRounds()
    {
        Assert.Equal(0, (await Run("targets", "import", Csv("t.csv", "4306260001,website,临江县人民政府,http://www.linjiang.gov.cn/,临江县人民政府办公室,临江县,4306260001"))).ExitCode);
        Assert.Equal(0, (await Run("inspect", "--all", "--as-of", "2026-11-20T10:00:00+08:00")).ExitCode);
        var output = folder.File("out");

        var report = await Run("report", "--year", "2026", "--out", output);

        Assert.True(report.ExitCode == 0, report.Stderr);
        var lines = report.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        var workbook = Path.Combine(output, "年度报表-2026.xlsx");
        Assert.Equal(2, lines.Length);
        Assert.Equal(workbook, lines[0]);
        Assert.Matches(@"^year 2026: 1 round \(1 website, 0 account\), 1 website inspection \([01] unqualified\), 0 account inspections \(0 unqualified\), \d+ problems?, 0 verified fixed, 整改率 (0\.0%|—)$", lines[1]);
        using (var book = new ClosedXML.Excel.XLWorkbook(workbook))
        {
            Assert.Equal("临江县人民政府", book.Worksheet("政府网站工作年度报表").Cell(2, 2).GetString());
            Assert.Equal(1, book.Worksheet("监管年度报表").Cell(6, 4).GetDouble());
        }

        var empty = await Run("report", "--year", "2025", "--out", output);

        Assert.True(empty.ExitCode == 0, empty.Stderr);
        Assert.Equal([Path.Combine(output, "年度报表-2025.xlsx"), "year 2025: 无检查轮次 (no rounds with an as-of in 2025); the workbook holds the registry at year end only"],
            empty.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray());
        Assert.True(File.Exists(Path.Combine(output, "年度报表-2025.xlsx")));
    }

    [Fact]
    public async Task ReportYear_WithRound_IsOneLineAndExitCode1()
    {
        var result = await Run("report", "--year", "2026", "--round", "2026Q4");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("sitewatch: --year and --round cannot be used together: --year reports a whole year, --round one round",
            Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)).TrimEnd('\r'));
        Assert.Empty(result.Stdout);
    }

    [Theory]
    [InlineData(new[] { "report", "--round", "1999Q1" }, "sitewatch: no round with id 1999Q1")]
    [InlineData(new[] { "findings", "--round", "1999Q1" }, "sitewatch: no round with id 1999Q1")]
    [InlineData(new[] { "findings", "--as-of", "yesterday" }, "sitewatch: --as-of 'yesterday' is not an ISO 8601 time")]
    [InlineData(new[] { "inspect", "--sample", "0.1" }, "sitewatch: the registry has no website targets")]
    [InlineData(new[] { "targets", "import", "/no/such/file.csv" }, "/no/such/file.csv: cannot read:")]
    public async Task Errors_AreOneLine_WithExitCode1(string[] args, string message)
    {
        var result = await Run(args);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    [Fact]
    public async Task Inspect_StopsBeforeCrawling_WithOneLine_WhenTheCountryDatabaseIsMissing()
    {
        Assert.Equal(0, (await Run("targets", "import", Csv("t.csv", "4306260001,website,临江县人民政府,http://www.linjiang.gov.cn/,临江县人民政府办公室,临江县,4306260001"))).ExitCode);
        File.WriteAllText(folder.File("no-geo.json"), """{ "Logging": { "Folder": "logs" } }""");

        // No Geo:CountryDatabase: the default data/geo/… is looked for in the working folder, where it is not.
        var result = await CliProcess.RunAsync(folder.Path, "inspect", "--all", "--db", folder.File("sw.db"), "--config", folder.File("no-geo.json"), "--rules", RepoPaths.Rules);

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"sitewatch: Geo:CountryDatabase 'data/geo/geo-whois-asn-country.mmdb' ({Path.Combine(folder.Path, "data/geo/geo-whois-asn-country.mmdb")}) not found; run 'bash tests/setup.sh' to fetch it or set Geo:CountryDatabase", line.TrimEnd('\r'));
        Assert.Empty(sites.Site.Requests);
        Assert.Contains("no rounds yet", (await Run("findings")).Stderr);
    }

    [Fact]
    public async Task BadRulesFile_StopsTheStart_WithFileAndLine()
    {
        var rules = Path.Combine(folder.Path, "rules");
        Directory.CreateDirectory(rules);
        foreach (var file in Directory.GetFiles(RepoPaths.Rules))
        {
            File.Copy(file, Path.Combine(rules, Path.GetFileName(file)));
        }

        File.AppendAllText(Path.Combine(rules, "dead-link.yaml"), "severity_typo: veto\n");

        var result = await CliProcess.RunAsync(folder.Path, "targets", "list", "--db", folder.File("x.db"), "--rules", rules);

        Assert.Equal(1, result.ExitCode);
        Assert.Matches(@"dead-link\.yaml:\d+: unknown key 'severity_typo'", result.Stderr);
    }

    [Fact]
    public async Task CorrectionLoop_ReportNotifies_FixedClaims_RecheckReopens_AndBadInputGetsOneLine()
    {
        Assert.Equal(0, (await Run("targets", "import", Csv("t.csv", "4306260001,website,临江县人民政府,http://www.linjiang.gov.cn/,临江县人民政府办公室,临江县,4306260001"))).ExitCode);
        Assert.Equal(0, (await Run("inspect", "--all", "--as-of", "2026-11-20T10:00:00+08:00")).ExitCode);
        Assert.Equal(0, (await Run("report", "--out", folder.File("reports"))).ExitCode);

        var open = (await Run("corrections", "--format", "jsonl")).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var deadLinks = open.Where(c => c.GetProperty("check").GetString() == "dead-link").ToList();
        Assert.Equal(FixtureSites.ExpectedDeadLinks.Count, deadLinks.Count);
        Assert.All(open, c => Assert.Equal("notified", c.GetProperty("state").GetString()));
        var due = open[0].GetProperty("due").GetString()!;
        Assert.Equal("2026-12-11", due); // 15 working days after 2026-11-20
        Assert.Contains($"{open.Count} open cases, 0 overdue on 2026-12-11", (await Run("corrections", "--as-of", "2026-12-11T18:00:00+08:00")).Stdout);
        Assert.Contains($"{open.Count} open cases, {open.Count} overdue on 2026-12-12", (await Run("corrections", "--overdue", "--as-of", "2026-12-12T09:00:00+08:00")).Stdout);

        var id = deadLinks[0].GetProperty("finding").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var fixedOnce = await Run("fixed", id, "--comment", "已删除", "--by", "linjiang");
        var fixedTwice = await Run("fixed", id, "--comment", "again");
        var unknown = await Run("fixed", "99999", "--comment", "x");
        var noComment = await Run("fixed", id);
        Assert.Equal(0, fixedOnce.ExitCode);
        Assert.Contains($"finding {id} (4306260001, dead-link", fixedOnce.Stdout);
        Assert.Equal((1, $"sitewatch: finding {id} is already marked fixed and waits for its re-check"), (fixedTwice.ExitCode, fixedTwice.Stderr.Trim()));
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("finding 99999 is not in the correction loop", unknown.Stderr);
        Assert.NotEqual(0, noComment.ExitCode);

        // The fixture site still has every dead link: the claimed one is reopened, the others stay open.
        var recheck = await Run("recheck", "--target", "4306260001");
        Assert.True(recheck.ExitCode == 0, recheck.Stderr);
        Assert.True(recheck.Stdout.Contains("1 reopened", StringComparison.Ordinal), recheck.Stdout);
        Assert.Contains($"{id} 4306260001 dead-link", recheck.Stdout);
        Assert.Contains("1 reopened", recheck.Stdout);
        Assert.Contains("0 verified", recheck.Stdout);
        var missing = await Run("recheck", "--target", "nope");
        Assert.Equal((1, "sitewatch: no target with id nope in the registry (see `sitewatch targets list`)"), (missing.ExitCode, missing.Stderr.Trim()));
    }

    private Task<(int ExitCode, string Stdout, string Stderr)> Run(params string[] args)
    {
        File.WriteAllText(folder.File("config.json"), JsonSerializer.Serialize(new
        {
            Network = new { AllowPrivateAddresses = true, ConnectTo = Section("Network:ConnectTo:"), DnsOverrides = Section("Network:DnsOverrides:") },
            Geo = new { CountryDatabase = TestGeo.WriteDatabase(folder.File("country.mmdb")) },
            Crawler = new { RequestTimeoutSeconds = 8, MaxQueryVariantsPerPath = 5, RetryBaseDelayMilliseconds = 50 },
            Logging = new { Folder = folder.File("logs") },
        }));
        return CliProcess.RunAsync(folder.Path, [.. args, "--db", folder.File("sw.db"), "--config", folder.File("config.json"), "--rules", RepoPaths.Rules]);
    }

    private Dictionary<string, string?> Section(string prefix) =>
        sites.Settings.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value);

    private string Csv(string name, params string[] rows)
    {
        var path = folder.File(name);
        File.WriteAllLines(path, ["id,kind,name,url,organization,region,site_code", .. rows]);
        return path;
    }
}
