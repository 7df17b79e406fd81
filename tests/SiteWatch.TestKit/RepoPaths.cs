namespace SiteWatch.TestKit;

/// <summary>Folders of the repository, found from the test binaries by walking up to SiteWatch.sln.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Rules => Path.Combine(Root, "crawler-rules");

    public static string Seeds => Path.Combine(Root, "seeds");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SiteWatch.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("SiteWatch.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>The rules shipped in crawler-rules/, read once; tests vary one record with <c>with</c>.</summary>
public static class ShippedRules
{
    private static readonly Lazy<Core.Rules.RuleSet> Rules = new(() => SiteWatch.Rules.RuleLoader.Load(RepoPaths.Rules));

    public static Core.Rules.RuleSet Value => Rules.Value;
}
