namespace SiteWatch.Crawling.Html;

/// <summary>
/// One spelling per URL, so that a link is checked once however a page writes it: resolved against its
/// base, fragment dropped, scheme and host lower-case (IDN hosts in punycode), default port removed, dot
/// segments resolved, non-ASCII and spaces percent-encoded as UTF-8. Existing %XX escapes are kept as written.
/// Only http and https survive; mailto:, tel:, javascript:, data: and the like give null.
/// </summary>
public static class UrlNormalizer
{
    public static string? Normalize(string href, Uri baseUri)
    {
        var cleaned = Clean(href);
        if (cleaned.Length == 0 || cleaned[0] == '#')
        {
            return null;
        }

        var colon = cleaned.IndexOf(':');
        var slash = cleaned.IndexOfAny(['/', '?', '#']);
        if (colon > 0 && (slash < 0 || colon < slash))
        {
            var scheme = cleaned[..colon];
            if (!scheme.Equals("http", StringComparison.OrdinalIgnoreCase) && !scheme.Equals("https", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }
        }

        // Browsers read a backslash in an http(s) URL as a slash; so do old IIS-built sites.
        cleaned = cleaned.Replace('\\', '/');
        return Uri.TryCreate(baseUri, cleaned, out var uri) ? Normalize(uri) : null;
    }

    public static string? Normalize(Uri absolute)
    {
        if (!absolute.IsAbsoluteUri || absolute.Scheme is not ("http" or "https") || absolute.Host.Length == 0)
        {
            return null;
        }

        string host;
        try
        {
            host = absolute.IdnHost.ToLowerInvariant();
        }
        catch (UriFormatException)
        {
            return null;
        }

        if (absolute.HostNameType == UriHostNameType.IPv6 && !host.StartsWith('['))
        {
            host = $"[{host}]";
        }

        var port = absolute.IsDefaultPort ? "" : $":{absolute.Port}";
        var pathAndQuery = absolute.GetComponents(UriComponents.PathAndQuery, UriFormat.UriEscaped);
        if (pathAndQuery.Length == 0 || pathAndQuery[0] != '/')
        {
            pathAndQuery = "/" + pathAndQuery;
        }

        return $"{absolute.Scheme}://{host}{port}{pathAndQuery}";
    }

    /// <summary>What browsers do to an attribute value before parsing it: trim, drop tabs and newlines.</summary>
    private static string Clean(string href)
    {
        var trimmed = href.AsSpan().Trim(" \t\r\n\f\v\u00a0\u3000");
        if (trimmed.IndexOfAny('\t', '\r', '\n') < 0)
        {
            return trimmed.ToString();
        }

        return string.Create(trimmed.Length - CountBreaks(trimmed), trimmed.ToString(), static (span, source) =>
        {
            var i = 0;
            foreach (var c in source)
            {
                if (c is not ('\t' or '\r' or '\n'))
                {
                    span[i++] = c;
                }
            }
        });
    }

    private static int CountBreaks(ReadOnlySpan<char> text)
    {
        var n = 0;
        foreach (var c in text)
        {
            if (c is '\t' or '\r' or '\n')
            {
                n++;
            }
        }

        return n;
    }
}
