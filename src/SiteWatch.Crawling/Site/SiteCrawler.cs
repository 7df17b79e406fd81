using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SiteWatch.Core.Model;
using SiteWatch.Crawling.Geo;
using SiteWatch.Crawling.Html;
using SiteWatch.Crawling.Http;

namespace SiteWatch.Crawling.Site;

/// <summary>Counters a round shows on its progress line; updated by every crawl.</summary>
public sealed class CrawlCounters
{
    private long pages;
    private long links;

    public long Pages => Interlocked.Read(ref pages);
    public long Links => Interlocked.Read(ref links);

    public void AddPage() => Interlocked.Increment(ref pages);
    internal void AddLink() => Interlocked.Increment(ref links);
}

/// <summary>
/// Crawls one website breadth-first from its home page, staying on its host(s), and checks every link it
/// finds once. Pages are handed to <c>onPage</c> one at a time and then dropped, so memory stays flat
/// however large the site.
/// </summary>
public sealed class SiteCrawler(HttpFetcher fetcher, LinkCache cache, Gen0Governor governor, CertificateRegistry certificates, HostLocator locator,
    IOptions<CrawlerOptions> options, ILogger<SiteCrawler> logger)
{
    private static readonly HashSet<string> NotPages = new(StringComparer.OrdinalIgnoreCase)
    {
        ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".wps", ".et", ".dps", ".ofd", ".zip", ".rar", ".7z",
        ".gz", ".tar", ".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".svg", ".ico", ".tif", ".tiff", ".mp3", ".mp4",
        ".avi", ".wmv", ".flv", ".mov", ".swf", ".apk", ".exe", ".msi", ".css", ".js", ".txt", ".xml", ".json", ".csv",
    };

    private readonly CrawlerOptions crawler = options.Value;

    // Parsing and checking is CPU work: at most one page per core is in that stage at a time, however many
    // fetches are in flight. This bounds the number of live DOMs, which is what peak memory is made of.
    private readonly SemaphoreSlim parseGate = new(Environment.ProcessorCount);

    // Fields rather than captured parameters: the nested Run reads them through its owner.
    private readonly HttpFetcher fetcher = fetcher;
    private readonly LinkCache cache = cache;
    private readonly ILogger<SiteCrawler> logger = logger;
    private readonly Gen0Governor governor = governor;
    private readonly CertificateRegistry certificates = certificates;
    private readonly HostLocator locator = locator;

    public async Task<SiteCrawl> CrawlAsync(string homeUrl, Action<CrawledPage> onPage, CrawlCounters counters, CancellationToken ct)
    {
        if (!Uri.TryCreate(homeUrl, UriKind.Absolute, out var homeUri) || UrlNormalizer.Normalize(homeUri) is not { } home)
        {
            var invalid = new FetchOutcome(FetchState.InvalidUrl, null, $"the registered address '{homeUrl}' is not an absolute http(s) URL; correct it in the registry");
            return new SiteCrawl { HomeUrl = homeUrl, HomeOutcome = invalid, Links = [], NotCheckedReason = invalid.Message };
        }

        var host = new Uri(home).Host;
        using (certificates.Inspect(host))
        {
            var run = new Run(this, home, onPage, counters, ct);
            var crawl = await run.ExecuteAsync();
            crawl = crawl with { Locations = await LocateAsync(run.SiteHosts, ct) };
            return home.StartsWith("https:", StringComparison.Ordinal) ? crawl with { Certificate = certificates.Find(host) } : crawl;
        }
    }

    /// <summary>The hosting location of each of the site's own hosts (overseas-host); third-party hosts are not looked up.</summary>
    private async Task<IReadOnlyList<HostLocation>> LocateAsync(IReadOnlyCollection<string> hosts, CancellationToken ct)
    {
        var located = new List<HostLocation>();
        foreach (var host in hosts)
        {
            try
            {
                located.Add(await locator.LocateAsync(host, ct));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Could not locate {Host}", host);
                located.Add(new HostLocation { Host = host, Error = $"could not be located: {e.Message}" });
            }
        }

        return located;
    }

    private sealed class Run(SiteCrawler owner, string home, Action<CrawledPage> onPage, CrawlCounters counters, CancellationToken ct)
    {
        private readonly CrawlerOptions crawler = owner.crawler;
        private readonly Channel<(string Url, int Depth)> frontier = Channel.CreateUnbounded<(string, int)>();
        private readonly Channel<LinkRecord> checks = Channel.CreateUnbounded<LinkRecord>(new UnboundedChannelOptions { SingleWriter = false });
        private readonly object gate = new();
        private readonly Dictionary<string, LinkRecord> ledger = new(StringComparer.Ordinal);
        // Every page URL queued or reached by redirect, with its outcome once fetched (null while queued).
        private readonly Dictionary<string, FetchOutcome?> visited = new(StringComparer.Ordinal);
        private readonly HashSet<string> hosts = new(StringComparer.OrdinalIgnoreCase);
        private readonly List<string> siteHosts = [];
        private readonly Dictionary<string, HashSet<string>> queryVariants = new(StringComparer.Ordinal);
        private readonly List<string> truncations = [];
        private readonly Dictionary<string, Task<StylesheetText?>> stylesheets = new(StringComparer.Ordinal);
        private int pending;
        private int enqueued;
        private int crawled;
        private FetchOutcome? homeOutcome;

        /// <summary>Host names (without port) of the site itself: the registered one, then where the home page landed.</summary>
        public IReadOnlyCollection<string> SiteHosts => siteHosts;

        public async Task<SiteCrawl> ExecuteAsync()
        {
            AddHost(new Uri(home));
            Enqueue(home, 0);

            // A fixed set of workers for pages and another for link checks, each fed by a queue: a site with
            // thousands of links holds thousands of small queue entries, not thousands of waiting tasks.
            var width = Math.Max(2, crawler.PerHostConcurrency * 2);
            var checkers = Enumerable.Range(0, width).Select(_ => CheckLinksAsync()).ToList();
            await Task.WhenAll(Enumerable.Range(0, width).Select(_ => WorkAsync()));
            checks.Writer.TryComplete();
            await Task.WhenAll(checkers);
            var outcome = homeOutcome ?? new FetchOutcome(FetchState.NetworkError, null, "home page not fetched");
            return new SiteCrawl
            {
                HomeUrl = home,
                HomeOutcome = outcome,
                Links = ledger.Values,
                PagesCrawled = crawled,
                Truncations = truncations,
                NotCheckedReason = outcome.State switch
                {
                    FetchState.Blocked => outcome.Message,
                    FetchState.NotChecked => $"home page could not be read: {outcome.Message}",
                    _ => null,
                },
            };
        }

        private void AddHost(Uri uri)
        {
            hosts.Add(uri.Authority);
            if (!siteHosts.Contains(uri.IdnHost, StringComparer.OrdinalIgnoreCase))
            {
                siteHosts.Add(uri.IdnHost);
            }
        }

        private void Enqueue(string url, int depth)
        {
            visited[url] = null;
            enqueued++;
            Interlocked.Increment(ref pending);
            frontier.Writer.TryWrite((url, depth));
        }

        private async Task WorkAsync()
        {
            await foreach (var (url, depth) in frontier.Reader.ReadAllAsync(ct))
            {
                try
                {
                    await VisitAsync(url, depth);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A page that breaks something unforeseen is recorded as not judged; the crawl goes on.
                    owner.logger.LogWarning(e, "Could not process {Url} of {Home}", url, home);
                    var outcome = new FetchOutcome(FetchState.NotChecked, null, $"could not be processed: {e.Message}");
                    lock (gate)
                    {
                        Settle(url, outcome);
                    }
                }
                finally
                {
                    if (Interlocked.Decrement(ref pending) == 0)
                    {
                        frontier.Writer.TryComplete();
                    }
                }
            }
        }

        private async Task VisitAsync(string url, int depth)
        {
            var response = await owner.fetcher.GetPageAsync(url, ct);
            var isHome = depth == 0;
            lock (gate)
            {
                crawled++;
                if (isHome)
                {
                    homeOutcome = response.Outcome;

                    // The site lives where its home page lands (http → https, bare domain → www).
                    if (response.Outcome.State == FetchState.Ok)
                    {
                        AddHost(new Uri(response.FinalUrl));
                    }
                }

                Settle(url, response.Outcome);
            }

            counters.AddPage();
            var finalUrl = response.FinalUrl;
            bool duplicate;
            lock (gate)
            {
                // A redirect onto a page that is crawled anyway: judge its links once.
                duplicate = finalUrl != url && visited.ContainsKey(finalUrl);
                if (finalUrl != url && !duplicate && response.Outcome.State is FetchState.Ok or FetchState.HttpError)
                {
                    Settle(finalUrl, response.Outcome with { RedirectChain = [], Message = $"HTTP {response.Outcome.StatusCode}" });
                }

                duplicate |= !IsInternal(finalUrl);
            }

            // No Content-Type at all: parse only what starts like an HTML document.
            var notHtml = response.Body is not null && response.ContentTypeHeader is null && !CharsetDecoder.LooksLikeHtml(null, response.Body);
            if (response.Body is null || duplicate || notHtml)
            {
                HandOver(new CrawledPage
                {
                    Url = url, Depth = depth, Outcome = response.Outcome, IsHomePage = isHome, Elapsed = response.Elapsed,
                });
                return;
            }

            var pageUri = new Uri(finalUrl);
            IReadOnlyList<PageLink> links;
            List<Task<StylesheetText?>> sheets;
            string text;
            await owner.parseGate.WaitAsync(ct);
            try
            {
                // Decoding is CPU work too: done inside the gate, so waiting pages hold bytes, not decoded text as well.
                text = CharsetDecoder.Decode(response.Body, response.ContentTypeHeader).Text;
                using var document = HtmlDocuments.Parse(text);
                links = LinkExtractor.Extract(document, pageUri);
                sheets = StylesheetsOf(links);

                // Usually every stylesheet of the page was read for an earlier page of the site; otherwise the
                // page waits for them below, without holding a parse slot.
                if (sheets.TrueForAll(t => t.IsCompleted))
                {
                    HandOver(Parsed(url, depth, isHome, response, document, links, sheets));
                    sheets = [];
                }
            }
            finally
            {
                owner.parseGate.Release();
            }

            if (sheets.Count > 0)
            {
                await Task.WhenAll(sheets);
                await owner.parseGate.WaitAsync(ct);
                try
                {
                    using var document = HtmlDocuments.Parse(text);
                    HandOver(Parsed(url, depth, isHome, response, document, links, sheets));
                }
                finally
                {
                    owner.parseGate.Release();
                }
            }

            owner.governor.AfterPage();

            Follow(url, depth, isHome, links);
        }

        private static CrawledPage Parsed(string url, int depth, bool isHome, PageResponse response, AngleSharp.Dom.IDocument document,
            IReadOnlyList<PageLink> links, List<Task<StylesheetText?>> sheets) => new()
        {
            Url = url,
            Depth = depth,
            Outcome = response.Outcome,
            IsHomePage = isHome,
            Document = document,
            Links = links,
            Stylesheets = sheets.Select(t => t.Result).OfType<StylesheetText>().ToList(),
            Bytes = response.Bytes,
            Elapsed = response.Elapsed,
        };

        /// <summary>The page's stylesheets, each fetched once per site (up to Crawler:MaxStylesheetsPerSite).</summary>
        private List<Task<StylesheetText?>> StylesheetsOf(IReadOnlyList<PageLink> links)
        {
            var tasks = new List<Task<StylesheetText?>>();
            lock (gate)
            {
                foreach (var link in links)
                {
                    if (link.Kind != LinkKind.Stylesheet)
                    {
                        continue;
                    }

                    if (!stylesheets.TryGetValue(link.Url, out var task))
                    {
                        if (stylesheets.Count >= crawler.MaxStylesheetsPerSite)
                        {
                            Note($"stylesheet limit {crawler.MaxStylesheetsPerSite} reached; further stylesheets were not read for hidden-link");
                            continue;
                        }

                        stylesheets[link.Url] = task = ReadStylesheetAsync(link.Url);
                    }

                    if (!tasks.Contains(task))
                    {
                        tasks.Add(task);
                    }
                }
            }

            return tasks;
        }

        private async Task<StylesheetText?> ReadStylesheetAsync(string url)
        {
            await Task.Yield(); // never run the request under the caller's lock
            try
            {
                var response = await owner.fetcher.GetStylesheetAsync(url, ct);
                return response.Outcome.State == FetchState.Ok && response.Body is { } body
                    ? new StylesheetText(url, CharsetDecoder.Decode(body, response.ContentTypeHeader).Text)
                    : null;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                owner.logger.LogDebug(e, "Could not read stylesheet {Url} of {Home}", url, home);
                return null;
            }
        }

        /// <summary>Records a fetched page's outcome for its URL and for the link that points at it, if any. Under <c>gate</c>.</summary>
        private void Settle(string url, FetchOutcome outcome)
        {
            visited[url] = outcome;
            if (ledger.TryGetValue(url, out var record) && record.Outcome is null)
            {
                record.Outcome = outcome;
            }
        }

        private void HandOver(CrawledPage page)
        {
            // Checks keep per-target state and are written single-threaded.
            lock (onPage)
            {
                onPage(page);
            }
        }

        private void Follow(string pageUrl, int depth, bool isHome, IReadOnlyList<PageLink> links)
        {
            var seenHere = new HashSet<string>(StringComparer.Ordinal);
            lock (gate)
            {
                foreach (var link in links)
                {
                    if (!seenHere.Add(link.Url))
                    {
                        continue;
                    }

                    if (ledger.TryGetValue(link.Url, out var record))
                    {
                        record.Occurrences++;
                        record.OnHomePage |= isHome;
                        continue;
                    }

                    var internalLink = IsInternal(link.Url);
                    record = new LinkRecord(link.Url, link.Kind, pageUrl) { OnHomePage = isHome, Internal = internalLink };
                    ledger.Add(link.Url, record);
                    counters.AddLink();
                    if (visited.TryGetValue(link.Url, out var known))
                    {
                        // The home page or a redirect target: crawled already (or being crawled, and then
                        // Settle fills the outcome in when it arrives).
                        record.Outcome = known;
                        continue;
                    }

                    if (internalLink && ShouldCrawl(link, depth + 1))
                    {
                        Enqueue(link.Url, depth + 1);
                    }
                    else
                    {
                        StartCheck(record);
                    }
                }
            }
        }

        private bool ShouldCrawl(PageLink link, int depth)
        {
            if (link.Kind is not (LinkKind.Anchor or LinkKind.Area or LinkKind.Frame))
            {
                return false;
            }

            var uri = new Uri(link.Url);
            if (NotPages.Contains(Path.GetExtension(uri.AbsolutePath)))
            {
                return false;
            }

            if (depth > crawler.MaxDepth)
            {
                Note($"depth limit {crawler.MaxDepth} reached; deeper pages were checked, not crawled");
                return false;
            }

            if (enqueued >= crawler.MaxPagesPerSite)
            {
                Note($"page limit {crawler.MaxPagesPerSite} reached; further pages were checked, not crawled");
                return false;
            }

            if (uri.Query.Length > 1)
            {
                var path = uri.GetLeftPart(UriPartial.Path);
                if (!queryVariants.TryGetValue(path, out var variants))
                {
                    queryVariants[path] = variants = new HashSet<string>(StringComparer.Ordinal);
                }

                if (variants.Count >= crawler.MaxQueryVariantsPerPath && !variants.Contains(uri.Query))
                {
                    Note($"crawler trap guard: more than {crawler.MaxQueryVariantsPerPath} query variants of {path}; the rest were checked, not crawled");
                    return false;
                }

                variants.Add(uri.Query);
            }

            return true;
        }

        private void Note(string truncation)
        {
            if (!truncations.Contains(truncation))
            {
                truncations.Add(truncation);
                owner.logger.LogInformation("Crawl of {Home} cut short: {Truncation}", home, truncation);
            }
        }

        private void StartCheck(LinkRecord record) => checks.Writer.TryWrite(record);

        private async Task CheckLinksAsync()
        {
            await foreach (var record in checks.Reader.ReadAllAsync(ct))
            {
                try
                {
                    await CheckAsync(record);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    owner.logger.LogWarning(e, "Could not check {Url} found on {Page}", record.Url, record.FirstSeenOn);
                    lock (gate)
                    {
                        record.Outcome = new FetchOutcome(FetchState.NotChecked, null, $"could not be checked: {e.Message}");
                    }
                }
            }
        }

        private async Task CheckAsync(LinkRecord record)
        {
            // The site's own links are unique to it (the ledger already holds each once); only links to
            // other hosts are shared between sites and worth the round-wide cache.
            var outcome = record.Internal
                ? await owner.fetcher.CheckLinkAsync(record.Url, ct)
                : await owner.cache.CheckAsync(record.Url, ct);
            lock (gate)
            {
                record.Outcome = outcome;
            }
        }

        private bool IsInternal(string url) =>
            Uri.TryCreate(url, UriKind.Absolute, out var uri) && hosts.Contains(uri.Authority);
    }
}
