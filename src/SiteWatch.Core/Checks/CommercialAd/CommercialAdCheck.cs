using SiteWatch.Core.Model;
using SiteWatch.Core.Rules;

namespace SiteWatch.Core.Checks.CommercialAd;

/// <summary>
/// commercial-ad (商业广告): a script, frame, embedded object, image or link from an advertising host, or an
/// ad slot marked inline (cpro_id, slotbydup, adsbygoogle), on any crawled page. Analytics, government hosts
/// and service platforms are never ads. One finding per ad source, counted over every page it is on.
/// </summary>
public sealed class CommercialAdCheck : ICheck
{
    public string Key => "commercial-ad";

    public string DisplayName => "商业广告";

    public TargetKind Kind => TargetKind.Website;

    public ICheckSession Begin(CheckContext context) => new Session(this, context);

    private sealed class Session(CommercialAdCheck check, CheckContext context) : ICheckSession
    {
        private readonly Dictionary<string, Finding> bySubject = new(StringComparer.Ordinal);

        public void OnPage(CrawledPage page)
        {
            if (page.Document is null)
            {
                return;
            }

            var rules = context.Rules.CommercialAd;
            var seenHere = new HashSet<string>(StringComparer.Ordinal);
            foreach (var link in page.Links)
            {
                if (!Uri.TryCreate(link.Url, UriKind.Absolute, out var uri)
                    || CommercialAdRules.HostIn(uri.Host, rules.NotAds)
                    || !CommercialAdRules.HostIn(uri.Host, rules.AdHosts))
                {
                    continue;
                }

                var what = link.Kind switch
                {
                    LinkKind.Script => "ad script",
                    LinkKind.Frame => "ad frame",
                    LinkKind.Image => "ad image",
                    LinkKind.Embed => "embedded ad",
                    _ => "link to an advertising page",
                };
                Record(page, link.Url, $"{what} from {uri.Host}", seenHere);
            }

            foreach (var script in page.Document.QuerySelectorAll("script:not([src])"))
            {
                var code = script.TextContent;
                foreach (var marker in rules.InlineMarkers)
                {
                    var at = code.IndexOf(marker, StringComparison.Ordinal);
                    if (at >= 0)
                    {
                        Record(page, marker, $"inline ad code ({marker}) in a <script> on the page", seenHere, Snippet(code, at));
                        break;
                    }
                }
            }

            foreach (var slot in page.Document.QuerySelectorAll("ins, div"))
            {
                var label = $"{slot.Id} {slot.ClassName}";
                foreach (var marker in rules.InlineMarkers)
                {
                    if (label.Contains(marker, StringComparison.Ordinal))
                    {
                        Record(page, marker, $"ad slot <{slot.LocalName} class/id \"{marker}\"> on the page", seenHere, slot.OuterHtml.Length > 200 ? slot.OuterHtml[..200] : slot.OuterHtml);
                        break;
                    }
                }
            }
        }

        public CheckResult Complete(SiteCrawl crawl) => CheckResult.Flagged(bySubject.Values.ToList());

        private void Record(CrawledPage page, string subject, string detail, HashSet<string> seenHere, string? evidence = null)
        {
            if (!seenHere.Add(subject))
            {
                return;
            }

            if (bySubject.TryGetValue(subject, out var existing))
            {
                bySubject[subject] = existing with { Occurrences = existing.Occurrences + 1 };
                return;
            }

            bySubject[subject] = new Finding
            {
                Check = check.Key,
                Severity = context.Rules.CommercialAd.Severity,
                Url = page.Url,
                Subject = subject,
                Detail = page.IsHomePage ? detail + "; on the home page" : detail,
                ObservedAt = context.Round.AsOf,
                Evidence = evidence,
            };
        }

        private static string Snippet(string code, int at)
        {
            var start = Math.Max(0, at - 60);
            var end = Math.Min(code.Length, at + 100);
            return code[start..end].Trim();
        }
    }
}
