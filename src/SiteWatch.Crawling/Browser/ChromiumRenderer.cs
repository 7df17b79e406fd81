using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using SiteWatch.Core.Model;
using SiteWatch.Crawling.Http;

namespace SiteWatch.Crawling.Browser;

/// <summary>
/// Renders pages in a headless Chromium driven by Playwright. The browser starts on the first render and is shared;
/// each render gets its own context (no cookies or storage carried between pages) and at most
/// <c>Browser:MaxPages</c> render at once. <c>Network:ConnectTo</c> and <c>Network:DnsOverrides</c> become Chromium's
/// <c>--host-resolver-rules</c>, which replace the address and the port while URL, Host header and SNI stay the same.
/// Images, media and fonts are never requested. Page problems come back as <see cref="RenderedPage.Error"/>.
/// </summary>
public sealed class ChromiumRenderer : IPageRenderer, IAsyncDisposable
{
    /// <summary>After the load event, how long to wait at most for the network to fall quiet (XHR lists, lazy scripts).</summary>
    private static readonly TimeSpan NetworkIdleWait = TimeSpan.FromSeconds(5);

    /// <summary>How long closing a context may take before it is left to the browser.</summary>
    private static readonly TimeSpan CloseWait = TimeSpan.FromSeconds(5);

    /// <summary>Slack beyond Browser:TimeoutSeconds before a render that hangs (a script looping forever) is abandoned.</summary>
    private static readonly TimeSpan HangSlack = TimeSpan.FromSeconds(5);

    private static readonly HashSet<string> AllowedResourceTypes = new(StringComparer.Ordinal)
    {
        "document", "script", "xhr", "fetch", "stylesheet",
    };

    private readonly BrowserOptions options;
    private readonly NetworkOptions network;
    private readonly string userAgent;
    private readonly AddressResolver resolver;
    private readonly ILogger<ChromiumRenderer> logger;
    private readonly SemaphoreSlim pages;
    private readonly SemaphoreSlim launchGate = new(1, 1);
    private IPlaywright? playwright;
    private IBrowser? browser;
    private string? unavailable;
    private bool disposed;

    public ChromiumRenderer(IOptions<BrowserOptions> browserOptions, IOptions<NetworkOptions> networkOptions,
        IOptions<CrawlerOptions> crawlerOptions, AddressResolver resolver, ILogger<ChromiumRenderer> logger)
    {
        options = browserOptions.Value;
        options.Validate();
        network = networkOptions.Value;
        userAgent = crawlerOptions.Value.EffectiveUserAgent;
        this.resolver = resolver;
        this.logger = logger;
        pages = new SemaphoreSlim(options.MaxPages, options.MaxPages);
    }

    /// <summary>The switch that sends connections where <c>Network:ConnectTo</c> (ip:port) and <c>Network:DnsOverrides</c> (first ip) say.</summary>
    internal static string? HostResolverRules(NetworkOptions network)
    {
        var rules = new List<string>();
        foreach (var (host, target) in network.ConnectTo)
        {
            rules.Add($"MAP {host} {target.Trim()}");
        }

        foreach (var (host, addresses) in network.DnsOverrides)
        {
            var first = addresses.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
            if (!network.ConnectTo.ContainsKey(host) && first is not null && IPAddress.TryParse(first, out var ip))
            {
                rules.Add($"MAP {host} {(ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{ip}]" : ip.ToString())}");
            }
        }

        return rules.Count == 0 ? null : "--host-resolver-rules=" + string.Join(", ", rules);
    }

    public async Task<RenderedPage> RenderAsync(string url, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (!options.Enabled)
        {
            return new RenderedPage(url, null, "browser disabled (Browser:Enabled is false)");
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return new RenderedPage(url, null, "not an http(s) URL");
        }

        await pages.WaitAsync(ct);
        try
        {
            var (started, error) = await BrowserAsync();
            return started is null ? new RenderedPage(url, null, error) : await RenderInContextAsync(started, url, ct);
        }
        finally
        {
            pages.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await launchGate.WaitAsync();
        try
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            if (browser is not null)
            {
                try
                {
                    await browser.CloseAsync();
                }
                catch (PlaywrightException e)
                {
                    logger.LogDebug(e, "Closing the browser failed");
                }

                await browser.DisposeAsync();
            }

            playwright?.Dispose();
        }
        finally
        {
            launchGate.Release();
        }
    }

    /// <summary>The running browser, started once; or why there is none. A failed start is final for the process (logged once).</summary>
    private async Task<(IBrowser? Browser, string? Error)> BrowserAsync()
    {
        if (browser is { IsConnected: true } running)
        {
            return (running, null);
        }

        // Not cancellable: a launch abandoned half-way would leave a Chromium process behind.
        await launchGate.WaitAsync();
        try
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (browser is { IsConnected: true } again)
            {
                return (again, null);
            }

            if (unavailable is not null)
            {
                return (null, unavailable);
            }

            var path = options.ExecutablePath;
            if (path.Length > 0 && !File.Exists(path))
            {
                unavailable = $"browser not available: {path} not found; install chromium (apt-get install -y chromium fonts-noto-cjk) or set Browser:ExecutablePath";
                logger.LogError("Browser not available: {ExecutablePath} not found; install chromium (apt-get install -y chromium fonts-noto-cjk) or set Browser:ExecutablePath; pages are not rendered", path);
                return (null, unavailable);
            }

            if (browser is not null)
            {
                logger.LogWarning("The browser {ExecutablePath} went away; starting it again", Describe(path));
                await browser.DisposeAsync();
                browser = null;
            }

            var args = options.EffectiveArguments.ToList();
            if (HostResolverRules(network) is { } rules)
            {
                args.Add(rules);
            }

            try
            {
                playwright ??= await Playwright.CreateAsync();
                browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
                {
                    Headless = true,
                    ExecutablePath = path.Length > 0 ? path : null,
                    Args = args,
                    Timeout = options.TimeoutSeconds * 1000f,
                });
            }
            catch (Exception e) when (e is PlaywrightException or IOException or System.ComponentModel.Win32Exception)
            {
                unavailable = $"browser not available: {FirstLine(e.Message)}";
                logger.LogError(e, "Browser {ExecutablePath} could not start; pages are not rendered", Describe(path));
                return (null, unavailable);
            }

            logger.LogInformation("Browser {ExecutablePath} {Version} started", Describe(path), browser.Version);
            return (browser, null);
        }
        finally
        {
            launchGate.Release();
        }
    }

    private async Task<RenderedPage> RenderInContextAsync(IBrowser started, string url, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var timeout = TimeSpan.FromSeconds(options.TimeoutSeconds);
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(ct);
        budget.CancelAfter(timeout + HangSlack);
        var state = new RenderState();
        IBrowserContext? context = null;
        try
        {
            context = await started.NewContextAsync(new BrowserNewContextOptions
            {
                UserAgent = userAgent,
                Locale = "zh-CN",
                ExtraHTTPHeaders = new Dictionary<string, string> { ["Accept-Language"] = "zh-CN,zh;q=0.9" },
                // A site with a bad certificate is still inspected (tls-invalid reports the certificate itself).
                IgnoreHTTPSErrors = true,
                ServiceWorkers = ServiceWorkerPolicy.Block,
                AcceptDownloads = false,
            }).WaitAsync(budget.Token);
            var closing = context;
            // Playwright calls take no token: closing the context ends whatever is pending on cancellation or a hang, and
            // every call is also awaited against the budget, because a call pending while its context closes (NewPageAsync
            // right after start, seen under load) may never complete.
            await using var onCancel = budget.Token.Register(() => _ = CloseQuietlyAsync(closing));
            await context.RouteAsync("**/*", route => FilterAsync(route, state)).WaitAsync(budget.Token);
            var page = await context.NewPageAsync().WaitAsync(budget.Token);
            page.SetDefaultTimeout((float)timeout.TotalMilliseconds);
            var response = await page.GotoAsync(url, new PageGotoOptions
            {
                WaitUntil = WaitUntilState.Load,
                Timeout = (float)timeout.TotalMilliseconds,
            }).WaitAsync(budget.Token);
            if (response is { Status: >= 400 } failed)
            {
                return new RenderedPage(url, null, $"HTTP {failed.Status}");
            }

            var idle = Min(NetworkIdleWait, timeout - clock.Elapsed);
            if (idle > TimeSpan.Zero)
            {
                try
                {
                    await page.WaitForLoadStateAsync(LoadState.NetworkIdle, new PageWaitForLoadStateOptions { Timeout = (float)idle.TotalMilliseconds }).WaitAsync(budget.Token);
                }
                catch (System.TimeoutException)
                {
                    // A page that keeps polling is read as it stands once the wait is over.
                    logger.LogDebug("Network of {Url} still busy after {Wait}; reading the page as it is", url, idle);
                }
            }

            var html = await page.ContentAsync().WaitAsync(budget.Token);
            logger.LogDebug("Rendered {Url} in {Elapsed} ms ({Chars} characters)", url, clock.ElapsedMilliseconds, html.Length);
            return new RenderedPage(url, html, null);
        }
        catch (Exception) when (ct.IsCancellationRequested)
        {
            throw new OperationCanceledException(ct);
        }
        catch (Exception e) when (e is PlaywrightException or ObjectDisposedException or System.TimeoutException || e is OperationCanceledException && budget.IsCancellationRequested)
        {
            var error = e switch
            {
                System.TimeoutException => $"timeout after {options.TimeoutSeconds} s",
                _ when budget.IsCancellationRequested => $"timeout after {options.TimeoutSeconds} s (the page did not answer)",
                _ when state.Blocked is { } blocked && e.Message.Contains("ERR_BLOCKED_BY_CLIENT", StringComparison.Ordinal) => blocked,
                _ => Clean(e.Message),
            };
            logger.LogInformation("Rendering {Url} failed: {Error}", url, error);
            return new RenderedPage(url, null, error);
        }
        finally
        {
            if (context is not null)
            {
                await CloseQuietlyAsync(context);
            }
        }
    }

    /// <summary>Lets documents, scripts, XHR/fetch and stylesheets through (after the SSRF guard); aborts everything else.</summary>
    private async Task FilterAsync(IRoute route, RenderState state)
    {
        try
        {
            var request = route.Request;
            if (!AllowedResourceTypes.Contains(request.ResourceType))
            {
                await route.AbortAsync("blockedbyclient");
                return;
            }

            if (!network.AllowPrivateAddresses && await GuardAsync(request.Url, state) is { } refusal)
            {
                if (request.ResourceType == "document")
                {
                    state.Blocked ??= refusal;
                }

                await route.AbortAsync("blockedbyclient");
                return;
            }

            await route.ContinueAsync();
        }
        catch (PlaywrightException)
        {
            // The context closed while the request waited (cancellation, timeout, render finished): nothing to route.
        }
    }

    /// <summary>The SSRF guard of the HTTP side, applied to what the browser is about to request; null when allowed.</summary>
    private async Task<string?> GuardAsync(string url, RenderState state)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return null;
        }

        if (state.Guarded.TryGetValue(uri.Authority, out var known))
        {
            return known;
        }

        string? refusal = null;
        try
        {
            var endPoints = await resolver.EndPointsAsync(uri.IdnHost, uri.Port, CancellationToken.None);
            resolver.Guard(uri.IdnHost, endPoints.Select(e => e.Address));
        }
        catch (BlockedAddressException e)
        {
            refusal = $"blocked: {e.Message}";
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or FormatException or ArgumentException)
        {
            // Unresolvable here is unresolvable for Chromium too; it reports the failure itself.
        }

        state.Guarded[uri.Authority] = refusal;
        return refusal;
    }

    private async Task CloseQuietlyAsync(IBrowserContext context)
    {
        try
        {
            await context.CloseAsync().WaitAsync(CloseWait);
        }
        catch (PlaywrightException e)
        {
            logger.LogDebug(e, "Closing a browser context failed");
        }
        catch (System.TimeoutException)
        {
            // The render is over either way; the browser drops the context when it answers again.
            logger.LogWarning("A browser context did not close within {Wait}", CloseWait);
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static string Describe(string path) => path.Length > 0 ? path : "(Playwright's own Chromium)";

    private static string FirstLine(string message)
    {
        var line = message.Split('\n', 2)[0].Trim();
        return line.Length > 300 ? line[..300] : line;
    }

    /// <summary>"page.goto: net::ERR_CONNECTION_REFUSED at http://…" → "net::ERR_CONNECTION_REFUSED at http://…".</summary>
    private static string Clean(string message)
    {
        var line = FirstLine(message);
        var colon = line.IndexOf(": ", StringComparison.Ordinal);
        return colon > 0 && colon < 40 && !line[..colon].Contains(' ', StringComparison.Ordinal) ? line[(colon + 2)..] : line;
    }

    private sealed class RenderState
    {
        public ConcurrentDictionary<string, string?> Guarded { get; } = new(StringComparer.OrdinalIgnoreCase);

        public string? Blocked { get; set; }
    }
}
