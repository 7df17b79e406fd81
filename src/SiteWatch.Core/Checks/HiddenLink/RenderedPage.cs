using AngleSharp;
using AngleSharp.Css;
using AngleSharp.Css.Dom;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using SiteWatch.Core.Model;
using SiteWatch.Core.Rules;

namespace SiteWatch.Core.Checks.HiddenLink;

/// <summary>Why a link cannot be seen: the mechanism and the element it is set on.</summary>
internal sealed record Concealment(string Mechanism, IElement Element, bool Revealable);

/// <summary>
/// The second, exact pass of hidden-link: the page parsed again in a browsing context with CSS and a
/// 1366×768 screen, its linked stylesheets put back where the &lt;link&gt;s are and its document.write blocks
/// where the scripts are, so that AngleSharp.Css computes each element's style from the whole cascade.
/// Only pages the first pass finds suspicious come here.
/// </summary>
internal sealed class RenderedPage : IDisposable
{
    /// <summary>Marks markup that an inline document.write put into the page.</summary>
    public const string WrittenTag = "sw-written";

    /// <summary>The page background where none is set, as AngleSharp.Css writes colours.</summary>
    public const string White = "rgba(255, 255, 255, 1)";

    private static readonly ThreadLocal<HtmlParser> Parsers = new(() => new HtmlParser(
        new HtmlParserOptions { IsScripting = false },
        BrowsingContext.New(Configuration.Default.WithCss().WithRenderDevice(new DefaultRenderDevice
        {
            DeviceWidth = 1366,
            DeviceHeight = 768,
            ViewPortWidth = 1366,
            ViewPortHeight = 768,
        }))));

    private readonly Dictionary<IElement, ICssStyleDeclaration> styles = [];
    private readonly HiddenLinkRules rules;

    private RenderedPage(IDocument document, HiddenLinkRules rules)
    {
        Document = document;
        this.rules = rules;
    }

    public IDocument Document { get; }

    public static RenderedPage Create(string source, Uri pageUri, IReadOnlyList<StylesheetText> stylesheets, bool withWrites, HiddenLinkRules rules)
    {
        var document = Parsers.Value!.ParseDocument(source);
        var byUrl = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var sheet in stylesheets)
        {
            if (Uri.TryCreate(sheet.Url, UriKind.Absolute, out var url))
            {
                byUrl.TryAdd(url.GetLeftPart(UriPartial.Query), sheet.Text);
            }
        }

        foreach (var link in document.QuerySelectorAll("link[rel][href]").ToList())
        {
            if (link.GetAttribute("rel")!.Contains("stylesheet", StringComparison.OrdinalIgnoreCase)
                && Uri.TryCreate(pageUri, link.GetAttribute("href")!.Trim(), out var href)
                && byUrl.TryGetValue(href.GetLeftPart(UriPartial.Query), out var css))
            {
                var style = document.CreateElement("style");
                style.TextContent = css;
                link.After(style);
            }
        }

        if (withWrites)
        {
            foreach (var script in document.QuerySelectorAll("script:not([src])").ToList())
            {
                var markup = ScriptWrites.Extract(script.TextContent);
                if (markup.Length > 0)
                {
                    var written = document.CreateElement(WrittenTag);
                    written.InnerHtml = markup;
                    script.After(written);
                }
            }
        }

        return new RenderedPage(document, rules);
    }

    public ICssStyleDeclaration Style(IElement element)
    {
        if (!styles.TryGetValue(element, out var style))
        {
            styles[element] = style = element.ComputeCurrentStyle();
        }

        return style;
    }

    /// <summary>How <paramref name="anchor"/> is concealed from a visitor, or null when it can be seen.</summary>
    public Concealment? Judge(IElement anchor)
    {
        for (var element = anchor; element is not null && element.LocalName != "html"; element = element.ParentElement)
        {
            var style = Style(element);
            if (element.HasAttribute("hidden") && style.GetDisplay() == "none")
            {
                return new("the hidden attribute", element, true);
            }

            if (style.GetDisplay() == "none")
            {
                return new("display:none", element, true);
            }

            if (HidingRules.Number(style.GetOpacity()) is { } opacity && opacity * 100 <= rules.MaxOpacityPercent)
            {
                return new($"opacity:{style.GetOpacity()}", element, true);
            }

            if (OffScreen(style) is { } offscreen)
            {
                return new(offscreen, element, false);
            }

            if (element != anchor && style.GetOverflow() is "hidden" or "clip"
                && (HidingRules.Pixels(style.GetHeight()) is { } h && h <= rules.TinyPixels
                    || HidingRules.Pixels(style.GetWidth()) is { } w && w <= rules.TinyPixels))
            {
                var side = HidingRules.Pixels(style.GetHeight()) is { } zero && zero <= rules.TinyPixels ? $"height:{style.GetHeight()}" : $"width:{style.GetWidth()}";
                return new($"{side} with overflow:hidden", element, true);
            }

            if (style.GetPosition() is "absolute" or "fixed" && style.GetClip().Replace(" ", "", StringComparison.Ordinal) is "rect(0px,0px,0px,0px)" or "rect(0,0,0,0)")
            {
                return new("clip:rect(0 0 0 0)", element, false);
            }

            if (element.LocalName == "marquee" && Marquee(element) is { } marquee)
            {
                return new(marquee, element, false);
            }
        }

        var own = Style(anchor);
        if (own.GetVisibility() is "hidden" or "collapse")
        {
            var origin = anchor.Ancestors<IElement>().Prepend(anchor).FirstOrDefault(e => Style(e).GetPropertyValue("visibility") is "hidden" or "collapse" && e.ParentElement is { } p && Style(p).GetVisibility() is not ("hidden" or "collapse")) ?? anchor;
            return new($"visibility:{own.GetVisibility()}", origin, true);
        }

        if (HidingRules.Pixels(own.GetFontSize()) is { } size && size <= rules.TinyPixels)
        {
            return new($"font-size:{own.GetFontSize()}", anchor, false);
        }

        if (HidingRules.Pixels(own.GetTextIndent()) is { } indent && indent <= -rules.OffscreenPixels)
        {
            return new($"text-indent:{own.GetTextIndent()}", anchor, false);
        }

        if (anchor.TextContent.Trim().Length > 0 && anchor.QuerySelector("img") is null)
        {
            var colour = own.GetColor();
            var background = anchor.Ancestors<IElement>().Prepend(anchor)
                .Select(e => Style(e).GetBackgroundColor())
                .FirstOrDefault(b => !HidingRules.IsTransparent(b)) ?? White;
            if (colour == background)
            {
                return new($"text colour {colour} on a background of the same colour", anchor, false);
            }
        }

        return null;
    }

    private string? OffScreen(ICssStyleDeclaration style)
    {
        if (style.GetPosition() is "absolute" or "fixed" or "relative")
        {
            foreach (var side in (string[])["left", "top", "right", "bottom", "margin-left", "margin-top"])
            {
                var value = style.GetPropertyValue(side);
                if (HidingRules.Pixels(value) is { } px && px <= -rules.OffscreenPixels)
                {
                    return $"positioned off-screen ({side}:{value})";
                }
            }
        }

        return null;
    }

    private string? Marquee(IElement marquee)
    {
        var style = Style(marquee);
        foreach (var (attribute, computed) in new[] { ("width", style.GetWidth()), ("height", style.GetHeight()) })
        {
            var size = HidingRules.Pixels(computed) ?? HidingRules.Number(marquee.GetAttribute(attribute) ?? "");
            if (size is { } px && px <= rules.MarqueeMaxPixels)
            {
                return $"a <marquee> {attribute} {px:0}px";
            }
        }

        return HidingRules.Number(marquee.GetAttribute("scrollamount") ?? "") is { } amount && amount >= rules.MarqueeScrollAmount
            ? $"a <marquee> scrolling {amount:0}px a step"
            : null;
    }

    public void Dispose() => Document.Dispose();
}
