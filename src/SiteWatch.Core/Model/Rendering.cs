namespace SiteWatch.Core.Model;

/// <summary>What a real browser made of a page: the DOM serialised after scripts ran, or why it could not.</summary>
/// <param name="Url">The address that was opened.</param>
/// <param name="Html"><c>document.documentElement.outerHTML</c> after scripts and requests settled; null when <paramref name="Error"/> is set.</param>
/// <param name="Error">Why the page could not be rendered ("HTTP 404", "timeout after 30 s", "browser not available: …"); null on success.</param>
public sealed record RenderedPage(string Url, string? Html, string? Error);

/// <summary>A headless browser, so that checks can see what scripts build. Implemented in SiteWatch.Crawling.</summary>
public interface IPageRenderer
{
    /// <summary>
    /// Opens url in a headless browser, waits for scripts and XHR to settle (bounded), returns document.documentElement.outerHTML.
    /// Never throws for a page problem (timeout, HTTP error, crash): returns Error instead. Throws only OperationCanceledException.
    /// </summary>
    Task<RenderedPage> RenderAsync(string url, CancellationToken ct);
}
