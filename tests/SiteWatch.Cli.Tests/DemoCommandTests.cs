using System.Text.Json;
using SiteWatch.TestKit;

namespace SiteWatch.Cli.Tests;

/// <summary>`sitewatch demo` end to end: the sample province is served, inspected, and exactly its planted dead links come out.</summary>
public sealed class DemoCommandTests
{
    [Fact]
    public async Task Demo_FindsExactlyThePlantedDeadLinks_OfTheSampleProvince()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File("data"));
        var db = folder.File("data/demo.db"); // as data/demo.db by default: the reports go to the folder's reports/

        var demo = await CliProcess.RunAsync(RepoPaths.Root, "demo", "--db", db, "--as-of", "2026-11-20T10:00:00+08:00");

        Assert.True(demo.ExitCode == 0, demo.Stderr);
        Assert.Contains("findings on 4 targets in round 2026Q4 (complete)", demo.Stdout);
        var notification = Path.Combine(folder.Path, "reports", "2026Q4", "通报-2026Q4.xlsx");
        Assert.Contains($"Notification (通报): {Path.GetFullPath(notification)}", demo.Stdout);
        Assert.True(File.Exists(notification), "the demo writes its notification workbook");
        Assert.Contains("Correction notices (整改通知): 4 in ", demo.Stdout);
        var findings = await CliProcess.RunAsync(RepoPaths.Root, "findings", "--db", db, "--format", "jsonl");
        var all = findings.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();

        // Every demo home page (the GBK county site's too) shows all identity marks: no other check may fire.
        Assert.All(all, f => Assert.Equal("dead-link", f.GetProperty("check").GetString()));
        var subjects = all
            .Select(f => f.GetProperty("subject").GetString()!)
            .Order()
            .ToList();
        var expected = File.ReadAllLines(Path.Combine(RepoPaths.Seeds, "demo", "expected-findings.txt"))
            .Where(l => l.Length > 0)
            .Order()
            .ToList();
        Assert.Equal(expected, subjects);
    }
}
