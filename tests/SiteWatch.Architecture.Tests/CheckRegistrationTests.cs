using System.Text.RegularExpressions;
using SiteWatch.Core.Checks;

namespace SiteWatch.Architecture.Tests;

/// <summary>Every check is registered in ChecksRegistration.cs, once, with a stable unique key.</summary>
public sealed partial class CheckRegistrationTests
{
    [Fact]
    public void EveryICheckInCore_IsRegistered()
    {
        var implemented = typeof(ICheck).Assembly.GetTypes()
            .Where(t => typeof(ICheck).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false })
            .OrderBy(t => t.FullName)
            .ToList();
        var registered = ChecksRegistration.All.Select(c => c.GetType()).OrderBy(t => t.FullName).ToList();

        Assert.NotEmpty(implemented);
        Assert.Equal(implemented, registered);
    }

    [Fact]
    public void CheckKeys_AreUniqueKebabCase_AndHaveAChineseName()
    {
        var keys = ChecksRegistration.All.Select(c => c.Key).ToList();

        Assert.Equal(keys.Count, keys.Distinct().Count());
        Assert.All(ChecksRegistration.All, c =>
        {
            Assert.Matches(KebabCase(), c.Key);
            Assert.Matches(Chinese(), c.DisplayName);
        });
    }

    [Fact]
    public void EveryCheck_LivesInItsOwnFolderNamedAfterIt()
    {
        Assert.All(ChecksRegistration.All, c =>
        {
            var type = c.GetType();
            Assert.EndsWith("Check", type.Name, StringComparison.Ordinal);
            Assert.Equal($"SiteWatch.Core.Checks.{type.Name[..^"Check".Length]}", type.Namespace);
        });
    }

    [GeneratedRegex("^[a-z]+(-[a-z]+)*$")]
    private static partial Regex KebabCase();

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Chinese();
}
