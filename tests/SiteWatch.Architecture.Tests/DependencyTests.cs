using System.Reflection;

namespace SiteWatch.Architecture.Tests;

/// <summary>Dependencies point one way: Core ← (Rules, Crawling, Storage, Reports) ← (Scheduling, Web) ← Cli.</summary>
public sealed class DependencyTests
{
    private static readonly string[] Middle = ["SiteWatch.Rules", "SiteWatch.Crawling", "SiteWatch.Storage", "SiteWatch.Reports"];

    [Fact]
    public void Core_ReferencesNoOtherSiteWatchProject_AndNoIoPackage()
    {
        var references = References("SiteWatch.Core");

        Assert.DoesNotContain(references, r => r.StartsWith("SiteWatch.", StringComparison.Ordinal));
        Assert.DoesNotContain(references, r => r.Contains("Sqlite", StringComparison.OrdinalIgnoreCase) || r.Contains("Dapper", StringComparison.Ordinal)
            || r.Contains("ClosedXML", StringComparison.Ordinal) || r.Contains("Http", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("SiteWatch.Rules")]
    [InlineData("SiteWatch.Crawling")]
    [InlineData("SiteWatch.Storage")]
    [InlineData("SiteWatch.Reports")]
    public void MiddleProjects_ReferenceOnlyCore(string project)
    {
        var siteWatch = References(project).Where(r => r.StartsWith("SiteWatch.", StringComparison.Ordinal)).ToList();

        Assert.Equal(["SiteWatch.Core"], siteWatch);
    }

    [Fact]
    public void Scheduling_DoesNotReferenceTheCli()
    {
        var references = References("SiteWatch.Scheduling");

        Assert.DoesNotContain("sitewatch", references);
        Assert.Contains(references, r => Middle.Contains(r));
    }

    [Fact]
    public void Web_ReferencesOnlyCoreStorageAndReports()
    {
        var siteWatch = References("SiteWatch.Web").Where(r => r.StartsWith("SiteWatch.", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(["SiteWatch.Core", "SiteWatch.Reports", "SiteWatch.Storage"], siteWatch);
    }

    private static List<string> References(string assembly) =>
        Assembly.Load(assembly).GetReferencedAssemblies().Select(a => a.Name!).ToList();
}
