// CPU cost per page of the page-reading checks, on pages of the bench farm (generate it first with
// tests/bench/farm.sh). Usage: dotnet run -c Release --project tests/bench/CheckCost [-- FARM_SITE_DIR [PAGES]]
// Three variants: the pages as served (the farm's outside links are other ports of 127.0.0.1, i.e. the same
// host); every outside link moved to a foreign host name with a 900-rule stylesheet of drop-down menus; and the
// same plus an off-screen block of links on every page (a compromised site: every page goes to the second pass).
using System.Diagnostics;
using System.Globalization;
using SiteWatch.Core.Checks;
using SiteWatch.Core.Freshness;
using SiteWatch.Core.Model;
using SiteWatch.Crawling.Html;
using SiteWatch.Rules;

var repo = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../.."));
var siteDir = args.Length > 0 ? args[0] : Path.Combine(repo, "bench-out/farm/site00");
var count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 500;
if (!Directory.Exists(siteDir))
{
    Console.Error.WriteLine($"check-cost: {siteDir} not found; run tests/bench/farm.sh first or pass a folder of HTML pages");
    return 1;
}

var rules = RuleLoader.Load(Path.Combine(repo, "crawler-rules"));
var files = Directory.GetFiles(siteDir, "*.html", SearchOption.AllDirectories).Take(count).ToList();
var menus = string.Concat(Enumerable.Range(0, 300).Select(i =>
    $".c{i} li:hover ul{{display:block}} .c{i} ul{{display:none;position:absolute}} .b{i}{{color:#333;background:#f5f5f5;margin:0 auto;width:{i}px}}\n"));
var now = TimeProvider.System.GetUtcNow();
var target = new Target { Id = "1", Kind = TargetKind.Website, Name = "bench", Url = "http://127.0.0.1:18000/", Organization = "bench", Region = "bench", SiteCode = "1" };
var round = new Round { Id = "bench", Kind = TargetKind.Website, AsOf = now, SampleFraction = 1, Seed = 1, Status = RoundStatus.Running, CreatedAt = now };
var pageUri = new Uri("http://127.0.0.1:18000/page.html");

foreach (var variant in new[] { "as served", "outside links on foreign hosts", "plus a hidden block" })
{
    var pages = files.Select(f =>
    {
        var html = File.ReadAllText(f);
        if (variant != "as served")
        {
            html = html.Replace("http://127.0.0.1:18900/", "http://www.ext-example.com/", StringComparison.Ordinal)
                .Replace("http://127.0.0.1:", "http://www.other-site.com:", StringComparison.Ordinal);
        }

        return variant == "plus a hidden block"
            ? html.Replace("</body>", "<div class=\"hl\"><a href=\"http://www.amxpj.com/\">博彩</a></div><style>.hl{position:absolute;left:-9999px}</style></body>", StringComparison.Ordinal)
            : html;
    }).ToList();
    var sheets = variant == "as served" ? [] : new[] { new StylesheetText("http://127.0.0.1:18000/css/style.css", menus) };
    foreach (var check in ChecksRegistration.All.Where(c => c.Kind == TargetKind.Website))
    {
        double micros = 0;
        var findings = 0;
        for (var pass = 0; pass < 2; pass++) // the first pass warms the JIT up
        {
            var session = check.Begin(new CheckContext(target, round, rules));
            micros = 0;
            foreach (var html in pages)
            {
                using var document = HtmlDocuments.Parse(html);
                var page = new CrawledPage
                {
                    Url = pageUri.AbsoluteUri, Depth = 1, Outcome = FetchOutcome.Ok(200), Document = document,
                    Links = LinkExtractor.Extract(document, pageUri), Stylesheets = sheets,
                };
                var started = Stopwatch.GetTimestamp();
                session.OnPage(page);
                micros += Stopwatch.GetElapsedTime(started).TotalMicroseconds;
            }

            findings = session.Complete(new SiteCrawl { HomeUrl = target.Url, HomeOutcome = FetchOutcome.Ok(200), Links = [] }).Findings.Count;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{variant,-32} {check.Key,-18} {micros / pages.Count,8:0} µs/page over {pages.Count} pages, {findings} findings"));
    }

    // Column discovery feeds stale-homepage, stale-column and blank-column (their own OnPage does nothing).
    double columnMicros = 0;
    var columnCount = 0;
    for (var pass = 0; pass < 2; pass++)
    {
        var collector = new ColumnCollector(rules.Columns, target, now);
        columnMicros = 0;
        foreach (var html in pages)
        {
            using var document = HtmlDocuments.Parse(html);
            var page = new CrawledPage { Url = pageUri.AbsoluteUri, Depth = 1, Outcome = FetchOutcome.Ok(200), Document = document };
            var started = Stopwatch.GetTimestamp();
            collector.OnPage(page);
            columnMicros += Stopwatch.GetElapsedTime(started).TotalMicroseconds;
        }

        columnCount = (await collector.CompleteAsync(null, CancellationToken.None)).Columns.Count;
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{variant,-32} {"(column discovery)",-18} {columnMicros / pages.Count,8:0} µs/page over {pages.Count} pages, {columnCount} columns"));
}

return 0;
