using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SiteWatch.Core.Model;
using SiteWatch.Crawling.Html;

namespace SiteWatch.Crawling.Http;

/// <summary>A fetched page: its outcome and, for an HTML page that loaded, its bytes.</summary>
public sealed record PageResponse(FetchOutcome Outcome, string FinalUrl, byte[]? Body, string? ContentTypeHeader, TimeSpan Elapsed)
{
    public long Bytes => Body?.LongLength ?? 0;

    /// <summary>The Retry-After of a throttled answer (<see cref="HttpFetcher.GetBodyAsync"/> only, which leaves 429 to its caller).</summary>
    public TimeSpan? RetryAfter { get; init; }
}

/// <summary>
/// All HTTP of the crawler: one pooled client, manual redirects (so chains and loops are seen), bounded
/// bodies, the retry policy in one place, and failures turned into <see cref="FetchOutcome"/> values.
/// </summary>
public sealed class HttpFetcher : IDisposable
{
    private readonly CrawlerOptions crawler;
    private readonly AddressResolver resolver;
    private readonly HostLimiter limiter;
    private readonly TimeProvider time;
    private readonly ILogger<HttpFetcher> logger;
    private readonly HttpClient client;
    private readonly IReadOnlySet<int> headRefused;
    private readonly CertificateRegistry certificates;

    public HttpFetcher(IOptions<CrawlerOptions> crawlerOptions, IOptions<NetworkOptions> networkOptions, AddressResolver resolver,
        HostLimiter limiter, CertificateRegistry certificates, Core.Rules.RuleSet rules, TimeProvider time, ILogger<HttpFetcher> logger)
    {
        this.certificates = certificates;
        crawler = crawlerOptions.Value;
        crawler.Validate();
        this.resolver = resolver;
        this.limiter = limiter;
        this.time = time;
        this.logger = logger;
        headRefused = rules.DeadLink.HeadRefusedStatuses.ToHashSet();
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.All,
            MaxConnectionsPerServer = crawler.PerHostConcurrency,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            ConnectTimeout = TimeSpan.FromSeconds(crawler.RequestTimeoutSeconds),
            UseCookies = false,
            ConnectCallback = ConnectAsync,
            SslOptions = TlsOptions(networkOptions.Value),
        };
        client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", crawler.EffectiveUserAgent);
        client.DefaultRequestHeaders.TryAddWithoutValidation("Accept-Language", "zh-CN,zh;q=0.9");
    }

    /// <summary>GETs a page of the site being crawled, following redirects; reads the body only when it is HTML.</summary>
    public async Task<PageResponse> GetPageAsync(string url, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var (outcome, final, body, contentType, _) = await FollowAsync(url, HttpMethod.Get, Body.Html, ct);
        return new PageResponse(outcome, final, body, contentType, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>GETs a stylesheet (text/css, or no type), following redirects; at most <c>Crawler:MaxStylesheetBytes</c> are read.</summary>
    public async Task<PageResponse> GetStylesheetAsync(string url, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var (outcome, final, body, contentType, _) = await FollowAsync(url, HttpMethod.Get, Body.Stylesheet, ct);
        return new PageResponse(outcome, final, body, contentType, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>
    /// GETs a feed, API answer or account page of any content type, following redirects; at most
    /// <c>Crawler:MaxResponseBytes</c> are read. 5xx, resets and DNS failures are retried here as for pages; a 429 is
    /// not: it comes back at once as HttpError 429 with <see cref="PageResponse.RetryAfter"/>, because the caller
    /// (the account readers) paces a whole platform and owns its throttling policy.
    /// </summary>
    public async Task<PageResponse> GetBodyAsync(string url, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var (outcome, final, body, contentType, retryAfter) = await FollowAsync(url, HttpMethod.Get, Body.Any, ct);
        return new PageResponse(outcome, final, body, contentType, Stopwatch.GetElapsedTime(started)) { RetryAfter = retryAfter };
    }

    /// <summary>
    /// An availability probe: one GET of the page (headers only), following redirects, with no retries — a visitor
    /// who gets no answer within the timeout is a failure, however the next try goes.
    /// </summary>
    public async Task<FetchOutcome> ProbeAsync(string url, CancellationToken ct)
    {
        var (outcome, _, _, _, _) = await FollowAsync(url, HttpMethod.Get, Body.None, ct, retries: 0);
        return outcome;
    }

    /// <summary>Checks that a link loads: HEAD first, GET (headers only) when HEAD is refused or unreliable.</summary>
    public async Task<FetchOutcome> CheckLinkAsync(string url, CancellationToken ct)
    {
        var (outcome, _, _, _, _) = await FollowAsync(url, HttpMethod.Head, Body.None, ct);
        var headUnreliable = outcome.State == FetchState.HttpError && outcome.StatusCode is { } s
            && (headRefused.Contains(s) || s >= 500);
        if (headUnreliable || outcome.State is FetchState.NetworkError)
        {
            (outcome, _, _, _, _) = await FollowAsync(url, HttpMethod.Get, Body.None, ct);
        }

        return outcome;
    }

    public void Dispose() => client.Dispose();

    private async Task<(FetchOutcome Outcome, string FinalUrl, byte[]? Body, string? ContentType, TimeSpan? RetryAfter)> FollowAsync(
        string url, HttpMethod method, Body wanted, CancellationToken ct, int? retries = null)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return (new FetchOutcome(FetchState.InvalidUrl, null, "not an http(s) URL"), url, null, null, null);
        }

        var chain = new List<string> { url };
        var current = url;
        while (true)
        {
            var hop = await SendWithRetriesAsync(method, uri, wanted, ct, retries);
            if (hop.Location is null && chain.Count == 1)
            {
                return (hop.Outcome, current, hop.Body, hop.ContentType, hop.RetryAfter);
            }

            if (hop.Location is null)
            {
                var outcome = hop.Outcome with
                {
                    RedirectChain = chain.Count > 1 ? chain : [],
                    FinalUrl = current,
                    Message = chain.Count > 1 && hop.Outcome.State != FetchState.Ok
                        ? $"{hop.Outcome.Message} after redirects {string.Join(" → ", chain)}"
                        : hop.Outcome.Message,
                };
                return (outcome, current, hop.Body, hop.ContentType, hop.RetryAfter);
            }

            var next = UrlNormalizer.Normalize(hop.Location, uri);
            if (next is null)
            {
                return (new FetchOutcome(FetchState.InvalidUrl, hop.Outcome.StatusCode, $"redirect to an unusable address '{hop.Location}'")
                    { RedirectChain = chain }, current, null, null, null);
            }

            if (chain.Contains(next, StringComparer.Ordinal))
            {
                chain.Add(next);
                return (new FetchOutcome(FetchState.RedirectLoop, hop.Outcome.StatusCode, $"redirect loop: {string.Join(" → ", chain)}")
                    { RedirectChain = chain }, current, null, null, null);
            }

            chain.Add(next);
            if (chain.Count - 1 > crawler.MaxRedirects)
            {
                return (new FetchOutcome(FetchState.TooManyRedirects, hop.Outcome.StatusCode,
                    $"more than {crawler.MaxRedirects} redirects: {string.Join(" → ", chain)}") { RedirectChain = chain }, next, null, null, null);
            }

            current = next;
            uri = new Uri(next);
        }
    }

    private sealed record Hop(FetchOutcome Outcome, string? Location, byte[]? Body, string? ContentType)
    {
        public TimeSpan? RetryAfter { get; init; }
    }

    /// <summary>The one place that retries: 429/503 (honouring Retry-After), 500/502/504, resets, refused, DNS.</summary>
    private async Task<Hop> SendWithRetriesAsync(HttpMethod method, Uri uri, Body wanted, CancellationToken ct, int? retries = null)
    {
        for (var attempt = 0; ; attempt++)
        {
            var (hop, retryAfter) = await SendOnceAsync(method, uri, wanted, ct);
            if (wanted == Body.Any && hop.Outcome.StatusCode == 429)
            {
                // Account readers pace the platform and retry throttling themselves (see GetBodyAsync).
                return hop with { RetryAfter = retryAfter };
            }

            var transient = IsTransient(hop.Outcome);
            if (!transient || attempt >= (retries ?? crawler.Retries))
            {
                if (transient && hop.Outcome.StatusCode == 429)
                {
                    // Throttled on every try: we could not look, which is not the same as dead.
                    return hop with { Outcome = new FetchOutcome(FetchState.NotChecked, 429, $"throttled (HTTP 429) after {attempt + 1} tries") };
                }

                return hop;
            }

            var delay = TimeSpan.FromMilliseconds(crawler.RetryBaseDelayMilliseconds * Math.Pow(2, attempt));
            if (retryAfter is { } asked)
            {
                if (asked > TimeSpan.FromSeconds(crawler.MaxRetryAfterSeconds))
                {
                    return hop.Outcome.StatusCode == 429
                        ? hop with { Outcome = new FetchOutcome(FetchState.NotChecked, 429, $"throttled: server asks to wait {asked.TotalSeconds:0} s") }
                        : hop;
                }

                delay = asked > delay ? asked : delay;
            }

            logger.LogDebug("Retrying {Method} {Url} after {Outcome} in {Delay}", method, uri, hop.Outcome.Message, delay);
            await Task.Delay(delay, time, ct);
        }
    }

    private static bool IsTransient(FetchOutcome outcome) => outcome.State switch
    {
        FetchState.HttpError => outcome.StatusCode is 429 or 500 or 502 or 503 or 504,
        FetchState.NetworkError or FetchState.Refused or FetchState.Dns => true,

        // A timeout already waited the whole budget; waiting again would double a round for little gain.
        _ => false,
    };

    private async Task<(Hop Hop, TimeSpan? RetryAfter)> SendOnceAsync(HttpMethod method, Uri uri, Body wanted, CancellationToken ct)
    {
        using var slot = await limiter.AcquireAsync(uri, ct);
        var budget = TimeSpan.FromSeconds(crawler.RequestTimeoutSeconds);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(budget);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = await SendOnceWithinAsync(method, uri, wanted, timeout.Token);

            // "Opens within 15 s" is the rule: an answer that took the whole budget failed it, even when it
            // beat the cancellation timer by a hair (see TimeoutMarginMilliseconds).
            var late = Stopwatch.GetElapsedTime(started) >= budget - TimeSpan.FromMilliseconds(crawler.TimeoutMarginMilliseconds);
            return late ? (TimedOut(), null) : result;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (TimedOut(), null);
        }
        catch (HttpRequestException e)
        {
            return (new Hop(Classify(e), null, null, null), null);
        }
        catch (IOException e)
        {
            return (new Hop(new FetchOutcome(FetchState.NetworkError, null, $"connection broken: {e.Message}"), null, null, null), null);
        }
    }

    private Hop TimedOut() =>
        new(new FetchOutcome(FetchState.Timeout, null, $"timeout: no answer within {crawler.RequestTimeoutSeconds} s"), null, null, null);

    private async Task<(Hop Hop, TimeSpan? RetryAfter)> SendOnceWithinAsync(HttpMethod method, Uri uri, Body wanted, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, uri);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        var status = (int)response.StatusCode;
        var contentType = response.Content.Headers.ContentType?.ToString();
        var retryAfter = RetryAfter(response.Headers.RetryAfter);
        if (status is >= 300 and < 400 && response.Headers.Location is { } location)
        {
            return (new Hop(new FetchOutcome(FetchState.Ok, status, $"HTTP {status}"), location.OriginalString, null, contentType), null);
        }

        if (status >= 400)
        {
            return (new Hop(new FetchOutcome(FetchState.HttpError, status, $"HTTP {status}") { ContentType = contentType }, null, null, contentType), retryAfter);
        }

        if (wanted == Body.None || method == HttpMethod.Head)
        {
            // A link check needs only the verdict; the shared instance keeps a round's link ledger small.
            return (new Hop(FetchOutcome.Ok(status), null, null, contentType), null);
        }

        var mediaType = response.Content.Headers.ContentType?.MediaType;
        var accepted = wanted switch
        {
            Body.Html => IsHtml(mediaType),
            Body.Stylesheet => mediaType is null or "text/css" or "text/plain",
            _ => true,
        };
        if (!accepted)
        {
            return (new Hop(FetchOutcome.Ok(status, contentType), null, null, contentType), null);
        }

        var limit = wanted == Body.Stylesheet ? crawler.MaxStylesheetBytes : crawler.MaxResponseBytes;
        if (response.Content.Headers.ContentLength > limit)
        {
            return (new Hop(TooLarge(status, contentType, limit), null, null, contentType), null);
        }

        var body = await ReadBoundedAsync(response.Content, limit, ct);
        return body is null
            ? (new Hop(TooLarge(status, contentType, limit), null, null, contentType), null)
            : (new Hop(FetchOutcome.Ok(status, contentType), null, body, contentType), null);
    }

    private static FetchOutcome TooLarge(int status, string? contentType, long limit) =>
        new(FetchState.TooLarge, status, $"larger than {limit / 1024 / 1024.0:0.##} MB, not read") { ContentType = contentType };

    /// <summary>Which response bodies a request reads.</summary>
    private enum Body
    {
        None,
        Html,
        Stylesheet,

        /// <summary>Any content type, up to Crawler:MaxResponseBytes (feeds, JSON APIs, account pages).</summary>
        Any,
    }

    private static bool IsHtml(string? mediaType) =>
        mediaType is null or "text/html" or "application/xhtml+xml";

    /// <summary>Reads at most <paramref name="limit"/> decompressed bytes; null when the body is larger.</summary>
    private static async Task<byte[]?> ReadBoundedAsync(HttpContent content, long limit, CancellationToken ct)
    {
        await using var stream = await content.ReadAsStreamAsync(ct);
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            using var memory = new MemoryStream();
            int read;
            while ((read = await stream.ReadAsync(buffer, ct)) > 0)
            {
                if (memory.Length + read > limit)
                {
                    return null;
                }

                memory.Write(buffer, 0, read);
            }

            return memory.ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private TimeSpan? RetryAfter(RetryConditionHeaderValue? header)
    {
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    internal static FetchOutcome Classify(HttpRequestException e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case BlockedAddressException blocked:
                    return new FetchOutcome(FetchState.Blocked, null, blocked.Message);
                case AuthenticationException auth:
                    return new FetchOutcome(FetchState.Tls, null, $"TLS: {auth.Message}");
                case SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain }:
                    return new FetchOutcome(FetchState.Dns, null, "DNS: host name not found");
                case SocketException { SocketErrorCode: SocketError.ConnectionRefused }:
                    return new FetchOutcome(FetchState.Refused, null, "connection refused");
                case SocketException { SocketErrorCode: SocketError.TimedOut }:
                    return new FetchOutcome(FetchState.Timeout, null, "timeout while connecting");
                case SocketException { SocketErrorCode: SocketError.HostUnreachable or SocketError.NetworkUnreachable }:
                    return new FetchOutcome(FetchState.Refused, null, "host unreachable");
            }
        }

        return e.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => new FetchOutcome(FetchState.Dns, null, "DNS: host name not found"),
            HttpRequestError.SecureConnectionError => new FetchOutcome(FetchState.Tls, null, $"TLS: {e.Message}"),
            _ => new FetchOutcome(FetchState.NetworkError, null, $"network error: {e.Message}"),
        };
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var endPoints = await resolver.EndPointsAsync(host, context.DnsEndPoint.Port, ct);
        resolver.Guard(host, endPoints.Select(e => e.Address));
        SocketException? last = null;
        foreach (var endPoint in endPoints)
        {
            var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(endPoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }

    /// <summary>
    /// Certificate validation: the system store decides, extra roots (a government intranet CA) may rescue a
    /// chain, and every host's verdict is recorded for tls-invalid. A host under inspection is fetched even
    /// with a bad certificate so that its other checks still run; any other host with one stays a failure.
    /// </summary>
    private SslClientAuthenticationOptions TlsOptions(NetworkOptions network)
    {
        var roots = new X509Certificate2Collection();
        foreach (var file in network.ExtraTrustedRoots)
        {
            roots.ImportFromPemFile(file);
        }

        return new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
            {
                var host = (sender as SslStream)?.TargetHostName ?? "";
                if (certificate is null)
                {
                    return false;
                }

                using var presented = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                var problems = Problems(presented, chain, errors, roots);
                certificates.Record(new Core.Model.CertificateReport(host, presented.Subject, presented.Issuer,
                    presented.NotBefore.ToUniversalTime(), presented.NotAfter.ToUniversalTime(), problems, time.GetUtcNow()));
                return problems.Count == 0 || certificates.IsInspected(host);
            },
        };
    }

    private List<string> Problems(X509Certificate2 certificate, X509Chain? chain, SslPolicyErrors errors, X509Certificate2Collection roots)
    {
        var problems = new List<string>();
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            problems.Add("missing");
            return problems;
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            problems.Add("issued for another host");
        }

        var now = time.GetUtcNow();
        if (certificate.NotAfter.ToUniversalTime() < now)
        {
            problems.Add("expired");
        }
        else if (certificate.NotBefore.ToUniversalTime() > now)
        {
            problems.Add("not yet valid");
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors) && !RescuedByExtraRoots(certificate, chain, roots))
        {
            var statuses = chain?.ChainStatus.Select(s => s.Status).ToHashSet() ?? [];
            if (statuses.Contains(X509ChainStatusFlags.PartialChain))
            {
                problems.Add("incomplete chain (intermediate certificate not sent)");
            }
            else if (statuses.Contains(X509ChainStatusFlags.UntrustedRoot) || certificate.Subject == certificate.Issuer)
            {
                problems.Add(certificate.Subject == certificate.Issuer ? "self-signed" : "untrusted root");
            }
            else if (!statuses.All(s => s is X509ChainStatusFlags.NotTimeValid or X509ChainStatusFlags.NoError))
            {
                problems.Add("chain not valid (" + string.Join(", ", statuses) + ")");
            }
        }

        return problems;
    }

    private static bool RescuedByExtraRoots(X509Certificate2 certificate, X509Chain? presented, X509Certificate2Collection roots)
    {
        if (roots.Count == 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        // Time validity is judged separately (expired / not yet valid), so only trust is asked here.
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid;
        return chain.Build(certificate);
    }
}
