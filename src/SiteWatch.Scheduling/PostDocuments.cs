using System.Net;
using AngleSharp.Dom;
using SiteWatch.Core.Model;
using SiteWatch.Crawling.Html;

namespace SiteWatch.Scheduling;

/// <summary>A post as a small document (its title, then its text, which feeds and APIs carry as HTML), for the page checks.</summary>
internal static class PostDocuments
{
    public static IDocument Parse(Post post) =>
        HtmlDocuments.Parse($"<html><body><h1>{WebUtility.HtmlEncode(post.Title ?? "")}</h1><div>{post.Text ?? ""}</div></body></html>");
}
