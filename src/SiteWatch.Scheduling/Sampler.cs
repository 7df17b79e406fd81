using System.Security.Cryptography;
using System.Text;
using SiteWatch.Core.Model;

namespace SiteWatch.Scheduling;

/// <summary>
/// Draws a round's sample: in every stratum (region and level) at least <c>fraction</c> of its targets, rounded up,
/// chosen by a seeded shuffle so that the same seed draws the same sample on any machine. Targets in
/// <c>mustInclude</c> (not inspected in the last three rounds) are drawn first and count toward their stratum's share.
/// </summary>
public static class Sampler
{
    public static IReadOnlyList<Target> Draw(IReadOnlyList<Target> targets, double fraction, int seed, IReadOnlySet<string>? mustInclude = null)
    {
        if (fraction is <= 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "sample fraction must be in (0, 1]");
        }

        var drawn = new List<Target>();
        foreach (var stratum in targets.GroupBy(t => $"{t.Region}|{t.Level}", StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var members = stratum.OrderBy(t => t.Id, StringComparer.Ordinal).ToList();

            // The stratum's own stream, derived from a stable hash (string.GetHashCode differs per process).
            var random = new Random(StableSeed(seed, stratum.Key));
            for (var i = members.Count - 1; i > 0; i--)
            {
                var j = random.Next(i + 1);
                (members[i], members[j]) = (members[j], members[i]);
            }

            var take = Math.Max(1, (int)Math.Ceiling(members.Count * fraction - 1e-9));
            var overdue = members.Where(t => mustInclude?.Contains(t.Id) == true).ToList();
            drawn.AddRange(overdue);
            drawn.AddRange(members.Where(t => mustInclude?.Contains(t.Id) != true).Take(Math.Max(0, take - overdue.Count)));
        }

        return drawn.OrderBy(t => t.Id, StringComparer.Ordinal).ToList();
    }

    private static int StableSeed(int seed, string stratum)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}:{stratum}"));
        return BitConverter.ToInt32(hash, 0);
    }
}
