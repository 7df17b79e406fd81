using AngleSharp;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace SiteWatch.Crawling.Html;

/// <summary>Parses page text with AngleSharp, scripting off (what the static HTML says), one parser per thread.</summary>
public static class HtmlDocuments
{
    private static readonly ThreadLocal<HtmlParser> Parsers = new(() => new HtmlParser(
        new HtmlParserOptions { IsScripting = false },
        BrowsingContext.New(Configuration.Default)));

    /// <summary>Never throws on malformed markup: the HTML parsing algorithm has an answer for every input.</summary>
    public static IDocument Parse(string html) => Parsers.Value!.ParseDocument(html);
}
