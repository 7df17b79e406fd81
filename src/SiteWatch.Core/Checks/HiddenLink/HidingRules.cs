using System.Globalization;
using System.Text.RegularExpressions;
using AngleSharp.Css.Dom;
using AngleSharp.Css.Parser;
using AngleSharp.Dom;
using SiteWatch.Core.Rules;

namespace SiteWatch.Core.Checks.HiddenLink;

/// <summary>A style rule that could hide what it applies to (by <see cref="What"/>, e.g. <c>display:none</c>).</summary>
internal sealed record HidingRule(ISelector Selector, string SelectorText, string What);

/// <summary>
/// The first, cheap pass of hidden-link: from a stylesheet, only the rules that could hide something, the
/// colours text is set in, the background colours, and the :hover/:focus rules that show a box again. Every
/// declaration comes from AngleSharp.Css's parser, so shorthands are expanded and colours normalised.
/// </summary>
internal sealed class HidingRules
{
    private static readonly Regex RevealPseudo = new(":(hover|focus-within|focus|active|checked|target)\\b", RegexOptions.CultureInvariant);

    public List<HidingRule> Hiding { get; } = [];

    /// <summary>Rules that set a text colour, with the colour; they hide only when it equals a background.</summary>
    public List<HidingRule> Colours { get; } = [];

    public HashSet<string> Backgrounds { get; } = new(StringComparer.Ordinal);

    /// <summary>Selectors, with the interaction pseudo-classes removed, of rules that show a box on hover/focus/click.</summary>
    public List<string> Reveals { get; } = [];

    public static HidingRules Parse(CssParser parser, string css, HiddenLinkRules rules)
    {
        var result = new HidingRules();
        ICssStyleSheet sheet;
        try
        {
            sheet = parser.ParseStyleSheet(css);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
        {
            // The CSS parser recovers from bad CSS by design; this guards against the unforeseen.
            return result;
        }

        result.Add(sheet.Rules, rules);
        return result;
    }

    /// <summary>The declarations of an inline style attribute; none when it does not parse.</summary>
    public static IEnumerable<ICssProperty> Declarations(CssParser parser, string inline) =>
        (IEnumerable<ICssProperty>?)parser.ParseDeclaration(inline) ?? [];

    public void AddRange(HidingRules other)
    {
        Hiding.AddRange(other.Hiding);
        Colours.AddRange(other.Colours);
        Backgrounds.UnionWith(other.Backgrounds);
        Reveals.AddRange(other.Reveals);
    }

    private void Add(ICssRuleList list, HiddenLinkRules rules)
    {
        foreach (var rule in list)
        {
            switch (rule)
            {
                case ICssStyleRule style:
                    AddStyle(style, rules);
                    break;
                case ICssGroupingRule group: // @media, @supports: a superset; the computed cascade decides later
                    Add(group.Rules, rules);
                    break;
            }
        }
    }

    private void AddStyle(ICssStyleRule rule, HiddenLinkRules rules)
    {
        var reveal = RevealPseudo.IsMatch(rule.SelectorText);
        foreach (var declaration in rule.Style)
        {
            var name = declaration.Name;
            var value = declaration.Value;
            if (name == "background-color" && !IsTransparent(value))
            {
                Backgrounds.Add(value);
            }

            if (reveal)
            {
                if (Shows(name, value))
                {
                    Reveals.Add(RevealPseudo.Replace(rule.SelectorText, ""));
                }

                continue;
            }

            if (name == "color")
            {
                Colours.Add(new HidingRule(rule.Selector, rule.SelectorText, value));
            }
            else if (Hides(name, value, rules) is { } what)
            {
                Hiding.Add(new HidingRule(rule.Selector, rule.SelectorText, what));
            }
        }
    }

    /// <summary>Whether a declaration could hide its element or its content; the description if so.</summary>
    public static string? Hides(string name, string value, HiddenLinkRules rules)
    {
        switch (name)
        {
            case "display" when value == "none":
            case "visibility" when value is "hidden" or "collapse":
                return $"{name}:{value}";
            case "opacity" when Number(value) is { } opacity && opacity * 100 <= rules.MaxOpacityPercent:
                return $"opacity:{value}";
            case "left" or "top" or "right" or "bottom" or "margin-left" or "margin-top" or "margin-right" or "text-indent"
                when value.StartsWith('-') && (Pixels(value) is not { } px || px <= -rules.OffscreenPixels):
            case "width" or "height" or "max-width" or "max-height" when Pixels(value) is { } size && size <= rules.TinyPixels:
            case "font-size" when Pixels(value) is { } fontSize && fontSize <= rules.TinyPixels:
                return $"{name}:{value}";
            case "clip" when value.StartsWith("rect(", StringComparison.Ordinal):
                return $"clip:{value}";
            default:
                return null;
        }
    }

    private static bool Shows(string name, string value) =>
        (name == "display" && value != "none")
        || (name == "visibility" && value == "visible")
        || (name == "opacity" && Number(value) is > 0.05)
        || (name is "height" or "max-height" or "width" && Pixels(value) is not (not null and <= 1));

    public static bool IsTransparent(string value) =>
        value.Length == 0 || value == "transparent" || value.EndsWith(", 0)", StringComparison.Ordinal) || value == "initial";

    /// <summary>A length in pixels ("0", "-9999px", "0.5px"); null for other units, percentages and keywords.</summary>
    public static double? Pixels(string value)
    {
        var text = value.EndsWith("px", StringComparison.Ordinal) ? value[..^2] : value;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && (value.EndsWith("px", StringComparison.Ordinal) || n == 0)
            ? n
            : null;
    }

    public static double? Number(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : null;
}
