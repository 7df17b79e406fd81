using AngleSharp.Css.Parser;
using AngleSharp.Dom;
using SiteWatch.Core.Model;
using SiteWatch.Core.Rules;

namespace SiteWatch.Core.Checks.HiddenLink;

/// <summary>
/// hidden-link (暗链): a link to another site that a visitor cannot see. Two passes per page: the cheap one
/// parses the page's stylesheets (linked ones once per site) into the few rules that could hide anything and
/// asks, for each off-site link, whether any of them, an inline style, the hidden attribute or a &lt;marquee&gt;
/// applies to it or an ancestor; only then is the page parsed again with CSS and the link judged on its
/// computed style. Blocks written by inline document.write are judged where they are written. Hidden menus of
/// the site's own links are never findings; hidden boxes a visitor opens (drop-downs, tabs) and links to
/// trusted hosts are not findings unless gambling/SEO keywords are in them. One finding per link address.
/// </summary>
public sealed class HiddenLinkCheck : ICheck
{
    public string Key => "hidden-link";

    public string DisplayName => "暗链";

    public TargetKind Kind => TargetKind.Website;

    public ICheckSession Begin(CheckContext context) => new Session(this, context);

    private sealed class Session(HiddenLinkCheck check, CheckContext context) : ICheckSession
    {
        private const int MaxCachedStyleBlocks = 64;

        private readonly HiddenLinkRules rules = context.Rules.HiddenLink;
        // Created on the first page with an off-site link, so sites without any never load the CSS engine.
        private CssParser? cssParser;
        private readonly Dictionary<string, HidingRules> sheets = new(StringComparer.Ordinal);
        private readonly Dictionary<string, HidingRules> styleBlocks = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Finding> bySubject = new(StringComparer.Ordinal);
        private readonly List<string> siteRoots = [];

        public void OnPage(CrawledPage page)
        {
            if (page.Document is not { } document || !Uri.TryCreate(page.Url, UriKind.Absolute, out var pageUri))
            {
                return;
            }

            AddRoot(context.Target.Url);
            AddRoot(page.Url);
            var writes = document.QuerySelectorAll("script:not([src])")
                .Any(s => s.TextContent.Contains("document.write", StringComparison.Ordinal)
                          && ScriptWrites.Extract(s.TextContent).Contains("<a", StringComparison.OrdinalIgnoreCase));
            var candidates = Candidates(document, pageUri);
            if (candidates.Count == 0 && !writes)
            {
                return;
            }

            var parser = cssParser ??= new CssParser();
            var hiding = PageRules(page, document, parser);
            var suspect = new Suspicion(hiding, rules, parser);
            if (!writes && !candidates.Any(c => suspect.Of(c.Anchor)))
            {
                return;
            }

            using var rendered = RenderedPage.Create(document.Source.Text, pageUri, page.Stylesheets, writes, rules);
            var renderedSuspect = new Suspicion(hiding, rules, parser);
            var seenHere = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (anchor, target) in Candidates(rendered.Document, pageUri))
            {
                var written = anchor.Closest(RenderedPage.WrittenTag) is not null;
                if ((written || renderedSuspect.Of(anchor)) && rendered.Judge(anchor) is { } concealment)
                {
                    Consider(page, anchor, target, concealment, hiding, written, seenHere);
                }
            }
        }

        public CheckResult Complete(SiteCrawl crawl) => CheckResult.Flagged(bySubject.Values.ToList());

        private void AddRoot(string url)
        {
            if (Uri.TryCreate(url, UriKind.Absolute, out var uri))
            {
                var host = uri.Host.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? uri.Host[4..] : uri.Host;
                if (!siteRoots.Contains(host, StringComparer.OrdinalIgnoreCase))
                {
                    siteRoots.Add(host);
                }
            }
        }

        /// <summary>Links on the page to hosts outside the site (its host, its domain and their subdomains).</summary>
        private List<(IElement Anchor, Uri Target)> Candidates(IDocument document, Uri pageUri)
        {
            var baseUri = document.QuerySelector("base[href]")?.GetAttribute("href") is { } b && Uri.TryCreate(pageUri, b.Trim(), out var declared)
                ? declared
                : pageUri;
            var list = new List<(IElement, Uri)>();
            foreach (var anchor in document.QuerySelectorAll("a[href], area[href]"))
            {
                var href = anchor.GetAttribute("href")!.Trim();
                if (href.Length == 0 || href.StartsWith('#')
                    || !Uri.TryCreate(baseUri, href, out var target)
                    || target.Scheme is not ("http" or "https")
                    || CommercialAdRules.HostIn(target.Host, siteRoots))
                {
                    continue;
                }

                list.Add((anchor, target));
            }

            return list;
        }

        private HidingRules PageRules(CrawledPage page, IDocument document, CssParser parser)
        {
            var all = new HidingRules();
            foreach (var sheet in page.Stylesheets)
            {
                if (!sheets.TryGetValue(sheet.Url, out var parsed))
                {
                    sheets[sheet.Url] = parsed = HidingRules.Parse(parser, sheet.Text, rules);
                }

                all.AddRange(parsed);
            }

            foreach (var style in document.QuerySelectorAll("style"))
            {
                var css = style.TextContent;
                if (!styleBlocks.TryGetValue(css, out var parsed))
                {
                    parsed = HidingRules.Parse(parser, css, rules);
                    if (styleBlocks.Count < MaxCachedStyleBlocks)
                    {
                        styleBlocks[css] = parsed;
                    }
                }

                all.AddRange(parsed);
            }

            foreach (var element in document.QuerySelectorAll("[style*=background]"))
            {
                foreach (var declaration in HidingRules.Declarations(parser, element.GetAttribute("style")!))
                {
                    if (declaration.Name == "background-color" && !HidingRules.IsTransparent(declaration.Value))
                    {
                        all.Backgrounds.Add(declaration.Value);
                    }
                }
            }

            return all;
        }

        private void Consider(CrawledPage page, IElement anchor, Uri target, Concealment concealment, HidingRules hiding, bool written, HashSet<string> seenHere)
        {
            var keywords = Keywords(anchor, target, concealment.Element);
            if (keywords.Count == 0)
            {
                if (CommercialAdRules.HostIn(target.Host, rules.TrustedHosts))
                {
                    return;
                }

                if (concealment.Revealable && MenuEvidence(concealment.Element, hiding) is not null)
                {
                    return;
                }
            }

            var subject = target.GetLeftPart(UriPartial.Query);
            if (!seenHere.Add(subject))
            {
                return;
            }

            if (bySubject.TryGetValue(subject, out var existing))
            {
                bySubject[subject] = existing with { Occurrences = existing.Occurrences + 1 };
                return;
            }

            var text = Shorten(anchor.TextContent.Trim(), 60);
            var how = $"{concealment.Mechanism} on {Describe(concealment.Element)}, {Source(concealment, hiding)}{(written ? ", written by an inline document.write" : "")}";
            var confidence = keywords.Count > 0
                ? $"keywords: {string.Join(", ", keywords)} — high confidence"
                : "no gambling/SEO keywords in it — confirm by looking at the page source";
            bySubject[subject] = new Finding
            {
                Check = check.Key,
                Severity = rules.Severity,
                Url = page.Url,
                Subject = subject,
                Detail = $"hidden link to {target.Host} ({how}); link text \"{text}\"; {confidence}{(page.IsHomePage ? "; on the home page" : "")}",
                ObservedAt = context.Round.AsOf,
                Evidence = Shorten(concealment.Element.OuterHtml, 300),
            };
        }

        private List<string> Keywords(IElement anchor, Uri target, IElement hidingBox)
        {
            var box = hidingBox.TextContent;
            var haystack = string.Join("\n", anchor.TextContent, anchor.GetAttribute("title") ?? "", Uri.UnescapeDataString(target.AbsoluteUri),
                box.Length > 4000 ? box[..4000] : box);
            return rules.Keywords.Where(k => haystack.Contains(k, StringComparison.OrdinalIgnoreCase)).ToList();
        }

        /// <summary>Why a hidden box looks like something a visitor opens; null if nothing says so.</summary>
        private string? MenuEvidence(IElement box, HidingRules hiding)
        {
            foreach (var element in new[] { box, box.ParentElement })
            {
                if (element is null)
                {
                    continue;
                }

                var label = $"{element.Id} {element.ClassName}".ToLowerInvariant();
                if (rules.MenuMarkers.FirstOrDefault(m => label.Contains(m, StringComparison.Ordinal)) is { } marker)
                {
                    return $"class/id '{marker}'";
                }
            }

            foreach (var element in new[] { box, box.ParentElement, box.PreviousElementSibling })
            {
                if (element?.Attributes.FirstOrDefault(a => a.Name is "onmouseover" or "onmouseenter" or "onclick" or "onfocus") is { } handler)
                {
                    return $"{handler.Name} handler";
                }
            }

            foreach (var selector in hiding.Reveals)
            {
                try
                {
                    if (box.Matches(selector))
                    {
                        return $"rule {selector} with :hover/:focus";
                    }
                }
                catch (DomException)
                {
                    // A selector AngleSharp cannot match (vendor syntax) shows nothing.
                }
            }

            if (box.Id is { Length: > 0 } id && box.Owner is { } owner)
            {
                bool Names(string code) => code.Contains($"'{id}'", StringComparison.Ordinal) || code.Contains($"\"{id}\"", StringComparison.Ordinal);
                if (owner.QuerySelectorAll("script:not([src])").Any(s => Names(s.TextContent))
                    || owner.All.Any(e => e.Attributes.Any(a => a.Name.StartsWith("on", StringComparison.Ordinal) && Names(a.Value))))
                {
                    return $"script refers to #{id}";
                }
            }

            return null;
        }

        private static string Source(Concealment concealment, HidingRules hiding)
        {
            var element = concealment.Element;
            if (concealment.Mechanism.StartsWith("the hidden attribute", StringComparison.Ordinal))
            {
                return "in the HTML";
            }

            if (element.LocalName == "marquee")
            {
                return "its attributes";
            }

            var property = concealment.Mechanism.Split(':', ' ', '(')[0];
            if (element.GetAttribute("style") is { } inline && inline.Contains(property, StringComparison.OrdinalIgnoreCase))
            {
                return "inline style";
            }

            var rule = hiding.Hiding.Concat(hiding.Colours).FirstOrDefault(r => r.Selector.Match(element, null));
            return rule is null ? "computed style" : $"stylesheet rule '{rule.SelectorText}'";
        }

        private static string Describe(IElement element)
        {
            var id = string.IsNullOrEmpty(element.Id) ? "" : $" id=\"{element.Id}\"";
            var css = string.IsNullOrEmpty(element.ClassName) ? "" : $" class=\"{element.ClassName}\"";
            return element.LocalName == RenderedPage.WrittenTag ? "the written block" : $"<{element.LocalName}{id}{css}>";
        }

        private static string Shorten(string text, int max) => text.Length <= max ? text : text[..max] + "…";
    }

    /// <summary>
    /// First pass: whether anything could hide an element — a hiding rule, inline style, the hidden attribute or a
    /// &lt;marquee&gt; on it or an ancestor. Memoised per element, so shared ancestors are looked at once.
    /// </summary>
    private sealed class Suspicion(HidingRules hiding, HiddenLinkRules rules, CssParser parser)
    {

        private readonly Dictionary<IElement, bool> memo = [];

        public bool Of(IElement element)
        {
            if (memo.TryGetValue(element, out var known))
            {
                return known;
            }

            var result = Self(element) || (element.ParentElement is { } parent && Of(parent));
            memo[element] = result;
            return result;
        }

        private bool Self(IElement element)
        {
            if (element.HasAttribute("hidden") || element.LocalName == "marquee")
            {
                return true;
            }

            if (element.GetAttribute("style") is { Length: > 0 } inline)
            {
                foreach (var declaration in HidingRules.Declarations(parser, inline))
                {
                    if (HidingRules.Hides(declaration.Name, declaration.Value, rules) is not null
                        || (declaration.Name == "color" && IsBackground(declaration.Value)))
                    {
                        return true;
                    }
                }
            }

            foreach (var rule in hiding.Hiding)
            {
                if (rule.Selector.Match(element, null))
                {
                    return true;
                }
            }

            foreach (var rule in hiding.Colours)
            {
                if (IsBackground(rule.What) && rule.Selector.Match(element, null))
                {
                    return true;
                }
            }

            return false;
        }

        // Text in a colour some background on the page has (or white, the default) might be invisible.
        private bool IsBackground(string colour) => colour == RenderedPage.White || hiding.Backgrounds.Contains(colour);
    }
}
