using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.Logging;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace SiteWatch.Cli.Demo;

/// <summary>One site of the sample province (seeds/demo/province.yaml).</summary>
public sealed class DemoSite
{
    public string Host { get; set; } = "";
    public string? Folder { get; set; }
    public string Name { get; set; } = "";
    public string Organization { get; set; } = "";
    public string Region { get; set; } = "";
    public string? Level { get; set; }
    public string SiteCode { get; set; } = "";
    public string Charset { get; set; } = "utf-8";
    public bool Target { get; set; }
    public bool Refused { get; set; }

    /// <summary>What name resolution answers for the host (Network:DnsOverrides): where overseas-host places it. Connections still go to the demo server.</summary>
    public string? Address { get; set; }
    public List<DemoBehaviour> Behaviours { get; set; } = [];

    public string HomeUrl => $"http://{Host}/";
}

/// <summary>What the demo server does at one path beyond serving its file.</summary>
public sealed class DemoBehaviour
{
    public string Path { get; set; } = "";
    public int? Status { get; set; }
    public string? Redirect { get; set; }
    public int? DelayMs { get; set; }
    public int? HeadStatus { get; set; }
    public string? GetFile { get; set; }
}

/// <summary>
/// The sample province of <c>sitewatch demo</c>: static government sites with planted defects, served by
/// one in-process Kestrel on 127.0.0.1 that routes by Host header; <c>Network:ConnectTo</c> sends each
/// demo host name there, so the crawl sees realistic URLs and never leaves the machine.
/// </summary>
public sealed class DemoProvince
{
    private DemoProvince(string folder, IReadOnlyList<DemoSite> all, DateTimeOffset? asOf)
    {
        Folder = folder;
        All = all;
        AsOf = asOf;
    }

    /// <summary>The monitoring time point the sample content was written for (its dates are fixed), unless --as-of says otherwise.</summary>
    public DateTimeOffset? AsOf { get; }

    public string Folder { get; }

    /// <summary>Every host of the province, targets and stand-ins for outside sites.</summary>
    public IReadOnlyList<DemoSite> All { get; }

    /// <summary>The sites imported into the registry and inspected.</summary>
    public IReadOnlyList<DemoSite> Sites => All.Where(s => s.Target).ToList();

    public static DemoProvince Load(string folder)
    {
        var file = Path.Combine(folder, "province.yaml");
        var deserializer = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build();
        ProvinceFile parsed;
        try
        {
            parsed = deserializer.Deserialize<ProvinceFile>(File.ReadAllText(file)) ?? new ProvinceFile();
        }
        catch (YamlException e)
        {
            throw new CliException($"{file}:{e.Start.Line}: {e.InnerException?.Message ?? e.Message}");
        }

        foreach (var site in parsed.Sites.Where(s => !s.Refused))
        {
            var siteFolder = Path.Combine(folder, site.Folder ?? site.Host);
            if (!Directory.Exists(siteFolder))
            {
                throw new CliException($"{file}: folder {siteFolder} of {site.Host} not found");
            }
        }

        return new DemoProvince(folder, parsed.Sites, parsed.AsOf);
    }

    public async Task<DemoServer> StartAsync(CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var sites = All.Where(s => !s.Refused).ToDictionary(s => s.Host, StringComparer.OrdinalIgnoreCase);
        var types = new FileExtensionContentTypeProvider();
        types.Mappings[".wps"] = "application/vnd.ms-works";
        app.Run(context => ServeAsync(context, sites, types));
        await app.StartAsync(ct);
        var port = new Uri(app.Urls.First()).Port;
        var closed = ClosedPort();
        var connectTo = All.ToDictionary(s => s.Host, s => s.Refused ? $"127.0.0.1:{closed}" : $"127.0.0.1:{port}", StringComparer.OrdinalIgnoreCase);
        return new DemoServer(app, port, connectTo);
    }

    private async Task ServeAsync(HttpContext context, Dictionary<string, DemoSite> sites, FileExtensionContentTypeProvider types)
    {
        if (!sites.TryGetValue(context.Request.Host.Host, out var site))
        {
            context.Response.StatusCode = 421; // not a host of this province
            return;
        }

        var path = context.Request.Path.Value ?? "/";
        var behaviour = site.Behaviours.FirstOrDefault(b => b.Path == path);
        if (behaviour?.DelayMs is { } delay)
        {
            await Task.Delay(delay, context.RequestAborted);
        }

        if (behaviour?.Redirect is { } location)
        {
            context.Response.StatusCode = behaviour.Status ?? 302;
            context.Response.Headers.Location = location;
            return;
        }

        if (behaviour?.HeadStatus is { } headStatus && HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.StatusCode = headStatus;
            return;
        }

        if (behaviour is { Status: { } status, Redirect: null })
        {
            context.Response.StatusCode = status;
            return;
        }

        if (behaviour?.GetFile is { } template)
        {
            path = template.Replace("{name}", Path.GetFileName(context.Request.Query["filename"].ToString()), StringComparison.Ordinal);
        }

        var file = Resolve(site, path);
        if (file is null)
        {
            context.Response.StatusCode = 404;
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync("<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1></body></html>", context.RequestAborted);
            return;
        }

        var contentType = types.TryGetContentType(file, out var known) ? known : "application/octet-stream";
        if (contentType.StartsWith("text/", StringComparison.Ordinal))
        {
            contentType += $"; charset={site.Charset}";
        }

        context.Response.ContentType = contentType;
        context.Response.ContentLength = new FileInfo(file).Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.SendFileAsync(file, context.RequestAborted);
        }
    }

    /// <summary>The file for a URL path inside the site's folder (index.html for folders); null when none or outside it.</summary>
    private string? Resolve(DemoSite site, string urlPath)
    {
        var root = Path.GetFullPath(Path.Combine(Folder, site.Folder ?? site.Host));
        var candidate = Path.GetFullPath(Path.Combine(root, urlPath.TrimStart('/')));
        if (!candidate.StartsWith(root, StringComparison.Ordinal))
        {
            return null;
        }

        if (Directory.Exists(candidate))
        {
            candidate = Path.Combine(candidate, "index.html");
        }

        return File.Exists(candidate) ? candidate : null;
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private sealed class ProvinceFile
    {
        public DateTimeOffset? AsOf { get; set; }

        public List<DemoSite> Sites { get; set; } = [];
    }
}

/// <summary>The running demo server; dispose to stop it.</summary>
public sealed class DemoServer(WebApplication app, int port, IReadOnlyDictionary<string, string> connectTo) : IAsyncDisposable
{
    public int Port { get; } = port;

    /// <summary>host → ip:port for <c>Network:ConnectTo</c>; refused hosts point at a closed port.</summary>
    public IReadOnlyDictionary<string, string> ConnectTo { get; } = connectTo;

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
