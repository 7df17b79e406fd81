using System.Text.RegularExpressions;
using SiteWatch.Core.Model;
using SiteWatch.Core.Rules;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SiteWatch.Rules;

/// <summary>
/// Reads crawler-rules/ into Core's rule records. Every file is parsed as a YAML mapping; unknown keys
/// and wrong types are errors naming file and line, so a typo in policy never passes silently.
/// </summary>
public static class RuleLoader
{
    public static RuleSet Load(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new RuleFileException($"{directory}: crawler-rules folder not found (set --rules DIR)");
        }

        return new RuleSet(
            LoadDeadLink(Path.Combine(directory, "dead-link.yaml")),
            LoadSiteUnreachable(Path.Combine(directory, "site-unreachable.yaml")),
            LoadMissingIdentity(Path.Combine(directory, "missing-identity.yaml")),
            LoadCommercialAd(Path.Combine(directory, "commercial-ad.yaml")),
            LoadSeriousErrors(Path.Combine(directory, "serious-errors.yaml")),
            LoadTls(Path.Combine(directory, "tls-invalid.yaml")),
            LoadHiddenLink(Path.Combine(directory, "hidden-link.yaml")),
            LoadOverseasHost(Path.Combine(directory, "overseas-host.yaml")),
            LoadColumns(Path.Combine(directory, "columns.yaml"), Path.Combine(directory, "column-overrides.yaml")),
            LoadAccounts(Path.Combine(directory, "accounts.yaml")),
            LoadPlatforms(Path.Combine(directory, "platforms")));
    }

    internal static DeadLinkRules LoadDeadLink(string path)
    {
        var map = ReadMapping(path);
        var rules = new DeadLinkRules();
        foreach (var (key, value) in map.Children)
        {
            var name = ((YamlScalarNode)key).Value;
            rules = name switch
            {
                "severity" => rules with { Severity = ParseSeverity(path, value) },
                "soft_not_found_titles" => rules with { SoftNotFoundTitles = Strings(path, value) },
                "soft_not_found_phrases" => rules with { SoftNotFoundPhrases = Strings(path, value) },
                "short_page_chars" => rules with { ShortPageChars = Int(path, value, 0, 100_000) },
                "head_refused_statuses" => rules with { HeadRefusedStatuses = Ints(path, value, 100, 599) },
                _ => throw Error(path, key, $"unknown key '{name}'"),
            };
        }

        return rules;
    }

    internal static SiteUnreachableRules LoadSiteUnreachable(string path)
    {
        var rules = new SiteUnreachableRules();
        foreach (var (key, value) in ReadMapping(path).Children)
        {
            var name = ((YamlScalarNode)key).Value;
            rules = name switch
            {
                "severity_at_inspection" => rules with { SeverityAtInspection = ParseSeverity(path, value) },
                "probe_window_days" => rules with { ProbeWindowDays = Int(path, value, 1, 90) },
                "min_probes_per_day" => rules with { MinProbesPerDay = Int(path, value, 1, 1440) },
                "failure_percent" => rules with { FailurePercent = Int(path, value, 1, 100) },
                "severity_from_probes" => rules with { SeverityFromProbes = ParseSeverity(path, value) },
                _ => throw Error(path, key, $"unknown key '{name}'"),
            };
        }

        return rules;
    }

    internal static MissingIdentityRules LoadMissingIdentity(string path)
    {
        var map = ReadMapping(path);
        var values = map.Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value ?? "", kv => kv.Value);
        foreach (var (key, _) in map.Children)
        {
            var name = ((YamlScalarNode)key).Value;
            if (name is not ("severity" or "site_code" or "icp" or "psb" or "badge_hosts" or "badge_words"))
            {
                throw Error(path, key, $"unknown key '{name}'");
            }
        }

        Regex Pattern(string key) => values.TryGetValue(key, out var node)
            ? ParsePattern(path, node)
            : throw new RuleFileException($"{path}:1: '{key}' is required");

        return new MissingIdentityRules
        {
            Severity = values.TryGetValue("severity", out var severity) ? ParseSeverity(path, severity) : Severity.Deduct,
            SiteCode = Pattern("site_code"),
            Icp = Pattern("icp"),
            Psb = Pattern("psb"),
            BadgeHosts = values.TryGetValue("badge_hosts", out var hosts) ? Strings(path, hosts) : [],
            BadgeWords = values.TryGetValue("badge_words", out var words) ? Strings(path, words) : [],
        };
    }

    internal static CommercialAdRules LoadCommercialAd(string path)
    {
        var rules = new CommercialAdRules();
        foreach (var (key, value) in ReadMapping(path).Children)
        {
            var name = ((YamlScalarNode)key).Value;
            rules = name switch
            {
                "severity" => rules with { Severity = ParseSeverity(path, value) },
                "ad_hosts" => rules with { AdHosts = Strings(path, value) },
                "inline_markers" => rules with { InlineMarkers = Strings(path, value) },
                "not_ads" => rules with { NotAds = Strings(path, value) },
                _ => throw Error(path, key, $"unknown key '{name}'"),
            };
        }

        return rules;
    }

    internal static SeriousErrorRules LoadSeriousErrors(string path)
    {
        var rules = new SeriousErrorRules();
        foreach (var (key, value) in ReadMapping(path).Children)
        {
            var name = ((YamlScalarNode)key).Value;
            rules = name switch
            {
                "severity" => rules with { Severity = ParseSeverity(path, value) },
                "phrases" => rules with { Phrases = Strings(path, value) },
                _ => throw Error(path, key, $"unknown key '{name}'"),
            };
        }

        return rules;
    }

    internal static TlsRules LoadTls(string path)
    {
        var rules = new TlsRules();
        foreach (var (key, value) in ReadMapping(path).Children)
        {
            var name = ((YamlScalarNode)key).Value;
            rules = name switch
            {
                "severity" => rules with { Severity = ParseSeverity(path, value) },
                "expiry_notice_days" => rules with { ExpiryNoticeDays = Int(path, value, 0, 365) },
                _ => throw Error(path, key, $"unknown key '{name}'"),
            };
        }

        return rules;
    }

    internal static HiddenLinkRules LoadHiddenLink(string path)
    {
        var rules = new HiddenLinkRules();
        foreach (var (key, value) in ReadMapping(path).Children)
        {
            var name = ((YamlScalarNode)key).Value;
            rules = name switch
            {
                "severity" => rules with { Severity = ParseSeverity(path, value) },
                "trusted_hosts" => rules with { TrustedHosts = Hosts(path, value) },
                "keywords" => rules with { Keywords = Strings(path, value) },
                "offscreen_px" => rules with { OffscreenPixels = Int(path, value, 50, 100_000) },
                "tiny_px" => rules with { TinyPixels = Int(path, value, 0, 10) },
                "max_opacity_percent" => rules with { MaxOpacityPercent = Int(path, value, 0, 50) },
                "marquee_max_px" => rules with { MarqueeMaxPixels = Int(path, value, 0, 50) },
                "marquee_scrollamount" => rules with { MarqueeScrollAmount = Int(path, value, 10, 1_000_000) },
                "menu_markers" => rules with { MenuMarkers = Strings(path, value) },
                _ => throw Error(path, key, $"unknown key '{name}'"),
            };
        }

        return rules;
    }

    internal static AccountRules LoadAccounts(string path)
    {
        var rules = new AccountRules();
        foreach (var (key, value) in ReadMapping(path).Children)
        {
            var name = ((YamlScalarNode)key).Value;
            rules = name switch
            {
                "sleeping_days" => rules with { SleepingDays = Int(path, value, 1, 3650) },
                "zombie_days" => rules with { ZombieDays = Int(path, value, 1, 3650) },
                "sleeping_severity" => rules with { SleepingSeverity = ParseSeverity(path, value) },
                "zombie_severity" => rules with { ZombieSeverity = ParseSeverity(path, value) },
                "unreachable_severity" => rules with { UnreachableSeverity = ParseSeverity(path, value) },
                "duplicate_severity" => rules with { DuplicateSeverity = ParseSeverity(path, value) },
                "recent_post_days" => rules with { RecentPostDays = Int(path, value, 1, 365) },
                "retry_later_times" => rules with { RetryLaterTimes = Int(path, value, 0, 10) },
                "retry_later_seconds" => rules with { RetryLaterSeconds = Int(path, value, 0, 3600) },
                _ => throw Error(path, key, $"unknown key '{name}'"),
            };
        }

        if (rules.ZombieDays <= rules.SleepingDays)
        {
            throw new RuleFileException($"{path}:1: zombie_days ({rules.ZombieDays}) must be more than sleeping_days ({rules.SleepingDays})");
        }

        return rules;
    }

    private static readonly string[] Adapters = ["rss", "weibo", "html", "browser"];

    /// <summary>Every platforms/*.yaml; the file name (without .yaml) is the platform code of the registry.</summary>
    internal static IReadOnlyDictionary<string, PlatformRules> LoadPlatforms(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new RuleFileException($"{folder}: platforms folder missing (one .yaml per new-media platform)");
        }

        var platforms = new Dictionary<string, PlatformRules>(StringComparer.OrdinalIgnoreCase);
        foreach (var path in Directory.GetFiles(folder, "*.yaml").Order(StringComparer.Ordinal))
        {
            var key = Path.GetFileNameWithoutExtension(path);
            var map = ReadMapping(path);
            string? name = null, adapter = null;
            var rules = new PlatformRules { Key = key, Name = key, Adapter = "rss" };
            foreach (var (k, value) in map.Children)
            {
                var field = ((YamlScalarNode)k).Value;
                switch (field)
                {
                    case "name":
                        name = Scalar(path, value);
                        break;
                    case "adapter":
                        adapter = Scalar(path, value);
                        if (!Adapters.Contains(adapter))
                        {
                            throw Error(path, value, $"adapter '{adapter}' must be one of {string.Join(", ", Adapters)}");
                        }

                        break;
                    case "url_template":
                        var template = Scalar(path, value);
                        if (!template.Contains("{account}", StringComparison.Ordinal) && !template.Contains("{url}", StringComparison.Ordinal)
                            && !template.Contains("{rsshub}", StringComparison.Ordinal))
                        {
                            throw Error(path, value, "url_template must use {account}, {url} or {rsshub}");
                        }

                        rules = rules with { UrlTemplate = template };
                        break;
                    case "requests_per_minute":
                        rules = rules with { RequestsPerMinute = Int(path, value, 1, 6000) };
                        break;
                    case "retries":
                        rules = rules with { Retries = Int(path, value, 0, 10) };
                        break;
                    case "retry_base_seconds":
                        rules = rules with { RetryBaseSeconds = Int(path, value, 0, 600) };
                        break;
                    case "closed_phrases":
                        rules = rules with { ClosedPhrases = Strings(path, value) };
                        break;
                    case "item_selector":
                        rules = rules with { ItemSelector = Selector(path, value) };
                        break;
                    case "time_selector":
                        rules = rules with { TimeSelector = Selector(path, value) };
                        break;
                    case "title_selector":
                        rules = rules with { TitleSelector = Selector(path, value) };
                        break;
                    case "link_selector":
                        rules = rules with { LinkSelector = Selector(path, value) };
                        break;
                    case "pinned_selector":
                        rules = rules with { PinnedSelector = Selector(path, value) };
                        break;
                    case "utc_offset_hours":
                        rules = rules with { DefaultUtcOffsetHours = Int(path, value, -12, 14) };
                        break;
                    default:
                        throw Error(path, k, $"unknown key '{field}'");
                }
            }

            if (adapter is null)
            {
                throw new RuleFileException($"{path}:1: 'adapter' is required (one of {string.Join(", ", Adapters)})");
            }

            if (adapter is "html" or "browser" && rules.ItemSelector is null)
            {
                throw new RuleFileException($"{path}:1: the {adapter} adapter needs item_selector and time_selector");
            }

            platforms[key] = rules with { Name = name ?? key, Adapter = adapter };
        }

        return platforms;
    }

    /// <summary>A CSS selector that AngleSharp can compile.</summary>
    private static string Selector(string path, YamlNode node)
    {
        var text = Scalar(path, node);
        try
        {
            new AngleSharp.Html.Parser.HtmlParser().ParseDocument("<p></p>").QuerySelector(text);
        }
        catch (AngleSharp.Dom.DomException)
        {
            throw Error(path, node, $"'{text}' is not a CSS selector");
        }

        return text;
    }

    internal static ColumnRules LoadColumns(string path, string overridesPath)
    {
        var rules = new ColumnRules();
        foreach (var (key, value) in ReadMapping(path).Children)
        {
            var name = ((YamlScalarNode)key).Value;
            rules = name switch
            {
                "classes" => rules with { Classes = ColumnClasses(path, value) },
                "unjudged_words" => rules with { UnjudgedWords = Strings(path, value) },
                "placeholders" => rules with { Placeholders = Strings(path, value) },
                "homepage_max_age_days" => rules with { HomepageMaxAgeDays = Int(path, value, 1, 3650) },
                "stale_homepage_severity" => rules with { StaleHomepageSeverity = ParseSeverity(path, value) },
                "min_list_items" => rules with { MinListItems = Int(path, value, 1, 100) },
                "max_pages_per_column" => rules with { MaxPagesPerColumn = Int(path, value, 1, 50) },
                "future_tolerance_days" => rules with { FutureToleranceDays = Int(path, value, 0, 30) },
                "stale_column_severity" => rules with { StaleColumnSeverity = ParseSeverity(path, value) },
                "stale_column_veto_in_marked_classes" => rules with { StaleColumnVetoInMarkedClasses = Int(path, value, 1, 1000) },
                "stale_column_veto_overall" => rules with { StaleColumnVetoOverall = Int(path, value, 1, 1000) },
                "blank_column_severity" => rules with { BlankColumnSeverity = ParseSeverity(path, value) },
                "blank_column_veto_at" => rules with { BlankColumnVetoAt = Int(path, value, 1, 1000) },
                _ => throw Error(path, key, $"unknown key '{name}'"),
            };
        }

        if (rules.Classes.Count == 0)
        {
            throw new RuleFileException($"{path}:1: 'classes' is required and must list at least one class");
        }

        return rules with { Overrides = ColumnOverrides(overridesPath, rules.Classes) };
    }

    private static List<ColumnClass> ColumnClasses(string path, YamlNode node)
    {
        if (node is not YamlSequenceNode seq)
        {
            throw Error(path, node, "expected a list of classes");
        }

        var classes = new List<ColumnClass>();
        foreach (var item in seq)
        {
            if (item is not YamlMappingNode map)
            {
                throw Error(path, item, "expected a class: key, name, max_age_days, words");
            }

            string? key = null, display = null;
            int? days = null;
            IReadOnlyList<string>? words = null;
            var veto = false;
            foreach (var (k, v) in map.Children)
            {
                var field = ((YamlScalarNode)k).Value;
                switch (field)
                {
                    case "key":
                        key = Scalar(path, v);
                        if (!Regex.IsMatch(key, "^[a-z][a-z0-9-]*$") || key == "none")
                        {
                            throw Error(path, v, $"class key '{key}' must be lower-case letters, digits and hyphens (and not 'none')");
                        }

                        break;
                    case "name":
                        display = Scalar(path, v);
                        break;
                    case "max_age_days":
                        days = Int(path, v, 1, 3650);
                        break;
                    case "words":
                        words = Strings(path, v);
                        break;
                    case "veto_count":
                        veto = Scalar(path, v) switch
                        {
                            "true" => true,
                            "false" => false,
                            var other => throw Error(path, v, $"'{other}' must be true or false"),
                        };
                        break;
                    default:
                        throw Error(path, k, $"unknown key '{field}'");
                }
            }

            if (key is null || days is null || words is null)
            {
                throw Error(path, item, "a class needs key, max_age_days and words");
            }

            if (classes.Any(c => c.Key == key))
            {
                throw Error(path, item, $"class '{key}' is listed twice");
            }

            classes.Add(new ColumnClass(key, display ?? key, days.Value, words, veto));
        }

        return classes;
    }

    private static List<ColumnOverride> ColumnOverrides(string path, IReadOnlyList<ColumnClass> classes)
    {
        var list = new List<ColumnOverride>();
        foreach (var (key, value) in ReadMapping(path).Children)
        {
            var name = ((YamlScalarNode)key).Value;
            if (name != "overrides")
            {
                throw Error(path, key, $"unknown key '{name}'");
            }

            if (value is YamlScalarNode { Value: null or "" })
            {
                continue;
            }

            if (value is not YamlSequenceNode seq)
            {
                throw Error(path, value, "expected a list of overrides");
            }

            foreach (var item in seq)
            {
                if (item is not YamlMappingNode map)
                {
                    throw Error(path, item, "expected an override: target, url or name, class");
                }

                var fields = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var (k, v) in map.Children)
                {
                    var field = ((YamlScalarNode)k).Value ?? "";
                    if (field is not ("target" or "url" or "name" or "class"))
                    {
                        throw Error(path, k, $"unknown key '{field}'");
                    }

                    fields[field] = Scalar(path, v).Trim();
                }

                if (!fields.TryGetValue("target", out var target) || !fields.TryGetValue("class", out var cls)
                    || !(fields.ContainsKey("url") || fields.ContainsKey("name")))
                {
                    throw Error(path, item, "an override needs target, class and either url or name");
                }

                if (cls != "none" && classes.All(c => c.Key != cls))
                {
                    throw Error(path, item, $"class '{cls}' is not a class of columns.yaml (or 'none')");
                }

                list.Add(new ColumnOverride(target, fields.GetValueOrDefault("url"), fields.GetValueOrDefault("name"), cls == "none" ? null : cls));
            }
        }

        return list;
    }

    /// <summary>Host names: lower-case letters, digits, dots and hyphens, no scheme or path.</summary>
    private static IReadOnlyList<string> Hosts(string path, YamlNode node)
    {
        var hosts = Strings(path, node);
        var items = ((YamlSequenceNode)node).Children;
        for (var i = 0; i < hosts.Count; i++)
        {
            if (!Regex.IsMatch(hosts[i], "^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$"))
            {
                throw Error(path, items[i], $"'{hosts[i]}' is not a host name (lower case, no scheme, path or port)");
            }
        }

        return hosts;
    }

    internal static OverseasHostRules LoadOverseasHost(string path)
    {
        var rules = new OverseasHostRules();
        foreach (var (key, value) in ReadMapping(path).Children)
        {
            var name = ((YamlScalarNode)key).Value;
            rules = name switch
            {
                "severity" => rules with { Severity = ParseSeverity(path, value) },
                "home_countries" => rules with { HomeCountries = CountryCodes(path, value) },
                _ => throw Error(path, key, $"unknown key '{name}'"),
            };
        }

        return rules;
    }

    /// <summary>Whether <paramref name="code"/> looks like an ISO 3166-1 alpha-2 code as the country databases write it (two upper-case letters).</summary>
    public static bool IsCountryCode(string code) => code.Length == 2 && code.All(char.IsAsciiLetterUpper);

    private static IReadOnlyList<string> CountryCodes(string path, YamlNode node)
    {
        var codes = Strings(path, node);
        if (codes.Count == 0)
        {
            throw Error(path, node, "list at least one home country (checks.md: CN)");
        }

        var items = ((YamlSequenceNode)node).Children;
        for (var i = 0; i < codes.Count; i++)
        {
            if (!IsCountryCode(codes[i]))
            {
                throw Error(path, items[i], $"'{codes[i]}' is not a country code: two upper-case letters (ISO 3166-1 alpha-2) such as CN");
            }
        }

        return codes;
    }

    private static Regex ParsePattern(string path, YamlNode node)
    {
        var text = Scalar(path, node);
        try
        {
            return new Regex(text, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException e)
        {
            throw Error(path, node, $"not a valid regular expression: {e.Message}");
        }
    }

    private static YamlMappingNode ReadMapping(string path)
    {
        if (!File.Exists(path))
        {
            throw new RuleFileException($"{path}: rule file missing");
        }

        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            throw new RuleFileException($"{path}:{e.Start.Line}: {e.InnerException?.Message ?? e.Message}");
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode map)
        {
            throw new RuleFileException($"{path}:1: expected a mapping of keys to values");
        }

        return map;
    }

    private static RuleFileException Error(string path, YamlNode node, string message) =>
        new($"{path}:{node.Start.Line}: {message}");

    private static Severity ParseSeverity(string path, YamlNode node)
    {
        var text = Scalar(path, node);
        return text switch
        {
            "veto" => Severity.Veto,
            "deduct" => Severity.Deduct,
            "notice" => Severity.Notice,
            _ => throw Error(path, node, $"severity '{text}' must be veto, deduct or notice"),
        };
    }

    private static string Scalar(string path, YamlNode node) =>
        node is YamlScalarNode { Value: { } v } ? v : throw Error(path, node, "expected a single value");

    private static int Int(string path, YamlNode node, int min, int max)
    {
        var text = Scalar(path, node);
        return int.TryParse(text, out var n) && n >= min && n <= max
            ? n
            : throw Error(path, node, $"'{text}' must be a whole number from {min} to {max}");
    }

    private static IReadOnlyList<string> Strings(string path, YamlNode node)
    {
        if (node is not YamlSequenceNode seq)
        {
            throw Error(path, node, "expected a list");
        }

        var list = new List<string>();
        foreach (var item in seq)
        {
            var text = Scalar(path, item).Trim();
            if (text.Length == 0)
            {
                throw Error(path, item, "empty entry");
            }

            list.Add(text);
        }

        return list;
    }

    private static IReadOnlyList<int> Ints(string path, YamlNode node, int min, int max) =>
        node is YamlSequenceNode seq
            ? seq.Select(item => Int(path, item, min, max)).ToList()
            : throw Error(path, node, "expected a list");
}
