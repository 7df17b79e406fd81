using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SiteWatch.TestKit;

/// <summary>
/// A website served in-process by Kestrel on 127.0.0.1 with an ephemeral port, built route by route.
/// Tests map realistic host names (www.xxx.gov.cn) to it with <c>Network:ConnectTo</c>.
/// </summary>
public sealed class FakeSite : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<string> requests;

    private FakeSite(WebApplication app, int port, ConcurrentQueue<string> requests)
    {
        this.app = app;
        Port = port;
        this.requests = requests;
    }

    public int Port { get; }

    public string EndPoint => $"127.0.0.1:{Port}";

    /// <summary>Every request received, as "METHOD /path?query".</summary>
    public IReadOnlyCollection<string> Requests => requests;

    public static async Task<FakeSite> StartAsync(Action<FakeSiteBuilder> configure, System.Security.Cryptography.X509Certificates.X509Certificate2? https = null)
    {
        var routes = new FakeSiteBuilder();
        configure(routes);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, listen =>
        {
            if (https is not null)
            {
                listen.UseHttps(https);
            }
        }));
        var app = builder.Build();
        var log = new ConcurrentQueue<string>();
        app.Run(async context =>
        {
            var target = context.Request.Path.Value + context.Request.QueryString.Value;
            log.Enqueue($"{context.Request.Method} {target}");
            if (routes.Find(context.Request) is { } handler)
            {
                await handler(context);
            }
            else
            {
                context.Response.StatusCode = 404;
                context.Response.ContentType = "text/html; charset=utf-8";
                await context.Response.WriteAsync("<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>");
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new FakeSite(app, new Uri(address).Port, log);
    }

    public int CountOf(string methodAndTarget) => requests.Count(r => r == methodAndTarget);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

/// <summary>Routes of a <see cref="FakeSite"/>; a path with a query matches exactly, a path without one matches any query.</summary>
public sealed class FakeSiteBuilder
{
    private readonly Dictionary<string, RequestDelegate> exact = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RequestDelegate> byPath = new(StringComparer.Ordinal);

    static FakeSiteBuilder() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance); // GBK pages

    public FakeSiteBuilder Page(string path, string html, string charset = "utf-8") =>
        Handle(path, async c =>
        {
            var encoding = Encoding.GetEncoding(charset);
            c.Response.ContentType = $"text/html; charset={charset}";
            if (!HttpMethods.IsHead(c.Request.Method))
            {
                await c.Response.Body.WriteAsync(encoding.GetBytes(html));
            }
        });

    /// <summary>A page whose bytes are sent as given with the given Content-Type (or none).</summary>
    public FakeSiteBuilder Raw(string path, byte[] body, string? contentType) =>
        Handle(path, async c =>
        {
            if (contentType is not null)
            {
                c.Response.ContentType = contentType;
            }

            if (!HttpMethods.IsHead(c.Request.Method))
            {
                await c.Response.Body.WriteAsync(body);
            }
        });

    public FakeSiteBuilder File(string path, string contentType, int size = 256) => Raw(path, new byte[size], contentType);

    public FakeSiteBuilder Status(string path, int status) => Handle(path, c =>
    {
        c.Response.StatusCode = status;
        return Task.CompletedTask;
    });

    public FakeSiteBuilder Redirect(string path, string location, int status = 302) => Handle(path, c =>
    {
        c.Response.StatusCode = status;
        c.Response.Headers.Location = location;
        return Task.CompletedTask;
    });

    /// <summary>Answers <paramref name="headStatus"/> to HEAD and serves the file to GET (a .jsp download handler).</summary>
    public FakeSiteBuilder HeadRefused(string path, int headStatus, string contentType = "application/pdf") => Handle(path, async c =>
    {
        if (HttpMethods.IsHead(c.Request.Method))
        {
            c.Response.StatusCode = headStatus;
            return;
        }

        c.Response.ContentType = contentType;
        await c.Response.Body.WriteAsync(new byte[512]);
    });

    /// <summary>Answers after <paramref name="delay"/>.</summary>
    public FakeSiteBuilder Slow(string path, TimeSpan delay, string html = "<html><body><p>slow but fine</p></body></html>") => Handle(path, async c =>
    {
        await Task.Delay(delay, c.RequestAborted);
        c.Response.ContentType = "text/html; charset=utf-8";
        await c.Response.WriteAsync(html, c.RequestAborted);
    });

    /// <summary>Answers <paramref name="status"/> with Retry-After the first <paramref name="times"/> requests, then 200.</summary>
    public FakeSiteBuilder ThrottledThenOk(string path, int times, int status = 429, int retryAfterSeconds = 1, string contentType = "application/pdf")
    {
        var count = 0;
        return Handle(path, async c =>
        {
            if (Interlocked.Increment(ref count) <= times)
            {
                c.Response.StatusCode = status;
                c.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return;
            }

            c.Response.ContentType = contentType;
            if (!HttpMethods.IsHead(c.Request.Method))
            {
                await c.Response.Body.WriteAsync(new byte[128]);
            }
        });
    }

    public FakeSiteBuilder Handle(string pathAndQuery, RequestDelegate handler)
    {
        if (pathAndQuery.Contains('?'))
        {
            exact[pathAndQuery] = handler;
        }
        else
        {
            byPath[pathAndQuery] = handler;
        }

        return this;
    }

    internal RequestDelegate? Find(HttpRequest request)
    {
        var path = request.Path.Value ?? "/";
        if (request.QueryString.HasValue && exact.TryGetValue(path + request.QueryString.Value, out var handler))
        {
            return handler;
        }

        return byPath.GetValueOrDefault(path);
    }
}
