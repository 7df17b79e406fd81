using System.Globalization;
using SiteWatch.Core.Checks;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SiteWatch.Reports.Scoring;

/// <summary>How one check's deduct findings score, and the rule it stands for in words (依据).</summary>
public sealed record CheckScoring(decimal Points, decimal? Cap, string? Basis);

/// <summary>crawler-rules/scoring.yaml: the verdict (合格) and what a correction notice says. Documented in the file.</summary>
public sealed record ScoringRules
{
    /// <summary>A target losing more points than this is 不合格 (40: checks.md's "100 minus deductions below 60").</summary>
    public decimal DeductionLimit { get; init; } = 40;

    public decimal DefaultPoints { get; init; } = 2;

    public int NoticeDeadlineWorkingDays { get; init; } = 15;

    public string Issuer { get; init; } = "省人民政府办公厅";

    public string ReplyTo { get; init; } = "";

    public IReadOnlyDictionary<string, CheckScoring> Checks { get; init; } = new Dictionary<string, CheckScoring>();

    public CheckScoring For(string check) => Checks.GetValueOrDefault(check) ?? new CheckScoring(DefaultPoints, null, null);
}

/// <summary>scoring.yaml cannot be used; the message starts with <c>file:line:</c>.</summary>
public sealed class ScoringRulesException(string message) : Exception(message);

/// <summary>
/// Reads scoring.yaml the way SiteWatch.Rules reads the other crawler-rules files (kept here because the middle
/// projects do not reference each other): unknown keys, unknown check codes and wrong types name file and line.
/// </summary>
public static class ScoringRulesLoader
{
    public const string FileName = "scoring.yaml";

    public static ScoringRules Load(string rulesDirectory)
    {
        var path = Path.Combine(rulesDirectory, FileName);
        if (!File.Exists(path))
        {
            throw new ScoringRulesException($"{path}: rule file missing (the scoring of the reports; see README, Reports)");
        }

        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            throw new ScoringRulesException($"{path}:{e.Start.Line}: {e.InnerException?.Message ?? e.Message}");
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode map)
        {
            throw new ScoringRulesException($"{path}:1: expected a mapping of keys to values");
        }

        var rules = new ScoringRules();
        foreach (var (key, value) in map.Children)
        {
            var name = ((YamlScalarNode)key).Value;
            rules = name switch
            {
                "deduction_limit" => rules with { DeductionLimit = Number(path, value, 0, 100) },
                "default_points" => rules with { DefaultPoints = Number(path, value, 0, 100) },
                "notice_deadline_working_days" => rules with { NoticeDeadlineWorkingDays = (int)Whole(path, value, 1, 250) },
                "issuer" => rules with { Issuer = Text(path, value) },
                "reply_to" => rules with { ReplyTo = Text(path, value) },
                "checks" => rules with { Checks = Checks(path, value) },
                _ => throw Error(path, key, $"unknown key '{name}'"),
            };
        }

        return rules;
    }

    private static Dictionary<string, CheckScoring> Checks(string path, YamlNode node)
    {
        if (node is not YamlMappingNode map)
        {
            throw Error(path, node, "expected a mapping of check codes (dead-link: …)");
        }

        var known = ChecksRegistration.All.Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
        var checks = new Dictionary<string, CheckScoring>(StringComparer.Ordinal);
        foreach (var (key, value) in map.Children)
        {
            var code = Text(path, key);
            if (!known.Contains(code))
            {
                throw Error(path, key, $"'{code}' is not a check code (checks.md: {string.Join(", ", known.Order(StringComparer.Ordinal))})");
            }

            if (value is not YamlMappingNode fields)
            {
                throw Error(path, value, "expected points, cap and basis");
            }

            decimal? points = null, cap = null;
            string? basis = null;
            foreach (var (k, v) in fields.Children)
            {
                var field = ((YamlScalarNode)k).Value;
                switch (field)
                {
                    case "points":
                        points = Number(path, v, 0, 100);
                        break;
                    case "cap":
                        cap = Number(path, v, 0, 100);
                        break;
                    case "basis":
                        basis = Text(path, v);
                        break;
                    default:
                        throw Error(path, k, $"unknown key '{field}'");
                }
            }

            if (points is null)
            {
                throw Error(path, value, $"'{code}' needs points");
            }

            checks[code] = new CheckScoring(points.Value, cap, basis);
        }

        return checks;
    }

    private static ScoringRulesException Error(string path, YamlNode node, string message) => new($"{path}:{node.Start.Line}: {message}");

    private static string Text(string path, YamlNode node) =>
        node is YamlScalarNode { Value: { } v } && v.Trim().Length > 0 ? v.Trim() : throw Error(path, node, "expected a non-empty value");

    private static decimal Number(string path, YamlNode node, decimal min, decimal max)
    {
        var text = Text(path, node);
        return decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw Error(path, node, $"'{text}' must be a number from {min} to {max}");
    }

    private static decimal Whole(string path, YamlNode node, int min, int max)
    {
        var text = Text(path, node);
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw Error(path, node, $"'{text}' must be a whole number from {min} to {max}");
    }
}
