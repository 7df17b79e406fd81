using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using SiteWatch.Core.Checks;
using SiteWatch.Core.Model;
using SiteWatch.Core.Rules;

namespace SiteWatch.Core.Freshness;

/// <summary>
/// Finds a website's columns (栏目) while its pages stream past, keeping a few numbers per page, not the pages:
/// the navigation names of links, each list page's dated items, continuation pages, and pages named like a
/// column that hold nothing. <see cref="CompleteAsync"/> joins continuations to their column, opens the empty
/// pages whose list is built by scripts in a real browser, and classifies every column.
/// </summary>
public sealed class ColumnCollector(ColumnRules rules, Target target, DateTimeOffset asOf)
{
    private const int MaxNames = 3_000;
    private const int MaxHubLinks = 50;
    private const int MaxEmptyPages = 500;
    private const int MaxNameChars = 10;
    private const int MaxRendersPerSite = 20;

    private static readonly string[] NextWords = ["下一页", "下页", "后页", "尾页", "末页", "下一頁"];

    private readonly DateRules dates = new() { FutureToleranceDays = rules.FutureToleranceDays };
    private readonly Dictionary<string, string> names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ListPage> lists = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> continuationOf = new(StringComparer.Ordinal);
    private readonly List<EmptyPage> empties = [];
    private readonly HashSet<string> homeLinks = new(StringComparer.Ordinal);
    private HomeFreshness? home;

    private sealed record ListPage(string Url, string Title, PageLists Lists);

    private sealed record EmptyPage(string Url, string Title, int Items, string? Placeholder, bool Scripted, bool EmptyList, IReadOnlyList<string> Links);

    public void OnPage(CrawledPage page)
    {
        if (page.Document is not { } document || !Uri.TryCreate(page.Url, UriKind.Absolute, out var pageUri))
        {
            return;
        }

        var links = InternalLinks(document, pageUri);
        var read = ListFinder.Read(document, asOf, dates);
        if (page.IsHomePage)
        {
            home = new HomeFreshness(page.Url, read.NewestAnywhere, read.DatedAnywhere);
            homeLinks.UnionWith(links.Select(l => l.Url));
            return;
        }

        var title = document.Title?.Trim() ?? "";
        if (read.DatedItems >= rules.MinListItems)
        {
            lists[page.Url] = new ListPage(page.Url, title, read);
            foreach (var (url, label) in links)
            {
                if (IsNextPage(label) && url != page.Url)
                {
                    continuationOf.TryAdd(url, page.Url);
                }
            }

            return;
        }

        // Only a page the site's links name like a column can be a blank column: decide that first, cheaply, so
        // that article pages (most of a site) cost nothing more here.
        if (empties.Count >= MaxEmptyPages || !(names.TryGetValue(page.Url, out var linkName) && NamedLikeAColumn(linkName))
            || PublishDates.OfArticle(document, asOf, dates) is not null)
        {
            return;
        }

        var text = document.Body is { } body ? PageText.Visible(body) : "";
        var placeholder = rules.Placeholders.FirstOrDefault(p => text.Contains(p, StringComparison.Ordinal));
        var scripted = document.QuerySelector("script") is not null;
        var emptyList = document.QuerySelectorAll("[class*=list], [id*=list], [class*=List], [id*=List]")
            .Any(e => e.LocalName is "ul" or "ol" or "div" or "table" or "tbody" or "dl" && e.TextContent.Trim().Length == 0 && e.QuerySelector("a, img") is null);
        var items = read.TitledItems >= rules.MinListItems ? read.Items : 0;
        if (placeholder is null && !emptyList && !scripted && items == 0)
        {
            return; // neither an empty list nor a list of undated articles: not a column page
        }

        var onward = links.Select(l => l.Url).Where(u => !homeLinks.Contains(u)).Distinct(StringComparer.Ordinal).Take(MaxHubLinks).ToList();
        empties.Add(new EmptyPage(page.Url, title, items, placeholder, scripted, emptyList, onward));
    }

    /// <summary>The columns of the site; empty column pages built by scripts are rendered with <paramref name="renderer"/> first.</summary>
    public async Task<SiteColumns> CompleteAsync(IPageRenderer? renderer, CancellationToken ct)
    {
        var columns = new List<Column>();
        var renders = 0;
        foreach (var list in lists.Values)
        {
            if (RootOf(list.Url) != list.Url)
            {
                continue;
            }

            var pages = Continuations(list.Url).Prepend(list.Url).Take(rules.MaxPagesPerColumn)
                .Select(u => lists.GetValueOrDefault(u)).OfType<ListPage>().ToList();
            var name = NameOf(list.Url, list.Title);
            columns.Add(new Column
            {
                ListUrl = list.Url,
                Name = name,
                Class = ClassOf(list.Url, name),
                Items = pages.Sum(p => p.Lists.Items),
                DatedItems = pages.Sum(p => p.Lists.DatedItems),
                Newest = pages.Select(p => p.Lists.Newest).Max(),
                PagesRead = pages.Count,
            });
        }

        foreach (var empty in empties)
        {
            if (continuationOf.ContainsKey(empty.Url))
            {
                continue; // an empty last page of a column
            }

            var name = NameOf(empty.Url, empty.Title);
            var cls = ClassOf(empty.Url, name);

            // A hub leads on to columns of its own (links the site-wide navigation of the home page does not have).
            if (!NamedLikeAColumn(name) || empty.Links.Count(lists.ContainsKey) >= 2)
            {
                continue; // not a column page, or a hub
            }

            var column = new Column { ListUrl = empty.Url, Name = name, Class = cls, Items = empty.Items, Placeholder = empty.Placeholder };
            if (empty.Scripted && empty.Placeholder is null && empty.Items == 0 && renderer is not null && renders++ < MaxRendersPerSite)
            {
                column = await RenderedAsync(renderer, column, ct);
            }

            if (column.DatedItems > 0 || (column.IsBlank && (empty.EmptyList || column.Placeholder is not null || column.Rendered)) || column.Items >= rules.MinListItems)
            {
                columns.Add(column);
            }
        }

        return new SiteColumns(columns.OrderBy(c => c.ListUrl, StringComparer.Ordinal).ToList(), home);
    }

    private async Task<Column> RenderedAsync(IPageRenderer renderer, Column column, CancellationToken ct)
    {
        var rendered = await renderer.RenderAsync(column.ListUrl, ct);
        if (rendered.Html is null)
        {
            return column; // the browser could not open it: judged on the static page
        }

        using var document = new HtmlParser().ParseDocument(rendered.Html);
        var read = ListFinder.Read(document, asOf, dates);
        var text = document.Body is { } body ? PageText.Visible(body) : "";
        return column with
        {
            Rendered = true,
            Items = read.DatedItems > 0 || read.TitledItems >= rules.MinListItems ? read.Items : 0,
            DatedItems = read.DatedItems,
            Newest = read.Newest,
            Placeholder = read.DatedItems > 0 ? null : rules.Placeholders.FirstOrDefault(p => text.Contains(p, StringComparison.Ordinal)),
        };
    }

    private bool NamedLikeAColumn(string name) =>
        rules.Classes.Any(c => c.Words.Any(w => name.Contains(w, StringComparison.Ordinal)))
        || rules.UnjudgedWords.Any(w => name.Contains(w, StringComparison.Ordinal));

    private string RootOf(string url)
    {
        var current = url;
        for (var hops = 0; hops < 100 && continuationOf.TryGetValue(current, out var parent); hops++)
        {
            current = parent;
        }

        return current;
    }

    private IEnumerable<string> Continuations(string root)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { root };
        var frontier = new Queue<string>([root]);
        while (frontier.Count > 0)
        {
            var current = frontier.Dequeue();
            foreach (var (child, parent) in continuationOf)
            {
                if (parent == current && seen.Add(child))
                {
                    frontier.Enqueue(child);
                    yield return child;
                }
            }
        }
    }

    private string NameOf(string url, string title)
    {
        if (names.TryGetValue(url, out var name))
        {
            return name;
        }

        var first = title.Split(['_', '-', '|', '—', '–'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return string.IsNullOrEmpty(first) ? url : first;
    }

    /// <summary>The class key of a column: an override first, then unjudged words, then the first class with a word in the name.</summary>
    private string? ClassOf(string url, string name)
    {
        var correction = rules.Overrides.FirstOrDefault(o => o.TargetId == target.Id && (o.Url == url || o.Name == name));
        if (correction is not null)
        {
            return correction.Class;
        }

        if (rules.UnjudgedWords.Any(w => name.Contains(w, StringComparison.Ordinal)))
        {
            return null;
        }

        return rules.Classes.FirstOrDefault(c => c.Words.Any(w => name.Contains(w, StringComparison.Ordinal)))?.Key;
    }

    private List<(string Url, string Text)> InternalLinks(IDocument document, Uri pageUri)
    {
        var result = new List<(string, string)>();
        foreach (var anchor in document.QuerySelectorAll("a[href]"))
        {
            if (!Uri.TryCreate(pageUri, anchor.GetAttribute("href")!.Trim(), out var url) || url.Host != pageUri.Host
                || url.Scheme is not ("http" or "https"))
            {
                continue;
            }

            var key = url.GetLeftPart(UriPartial.Query);
            var text = anchor.TextContent.Trim();
            if (text.Length is > 1 and <= MaxNameChars && !text.All(char.IsAsciiDigit) && names.Count < MaxNames && !IsNextPage(text))
            {
                names.TryAdd(key, text);
            }

            result.Add((key, text));
        }

        return result;
    }

    private static bool IsNextPage(string text) =>
        NextWords.Any(w => text.Contains(w, StringComparison.Ordinal))
        || (text.Length is > 0 and <= 3 && text.All(char.IsAsciiDigit) && text != "1");
}
