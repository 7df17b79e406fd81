using SiteWatch.Core.Checks.AccountUnreachable;
using SiteWatch.Core.Checks.BlankColumn;
using SiteWatch.Core.Checks.CommercialAd;
using SiteWatch.Core.Checks.DeadLink;
using SiteWatch.Core.Checks.DuplicateAccount;
using SiteWatch.Core.Checks.HiddenLink;
using SiteWatch.Core.Checks.MissingIdentity;
using SiteWatch.Core.Checks.NotChecked;
using SiteWatch.Core.Checks.OverseasHost;
using SiteWatch.Core.Checks.SeriousError;
using SiteWatch.Core.Checks.SiteUnreachable;
using SiteWatch.Core.Checks.SleepingAccount;
using SiteWatch.Core.Checks.StaleColumn;
using SiteWatch.Core.Checks.StaleHomepage;
using SiteWatch.Core.Checks.TlsInvalid;
using SiteWatch.Core.Checks.ZombieAccount;

namespace SiteWatch.Core.Checks;

/// <summary>
/// The one place where checks are registered. No assembly scanning: the architecture tests fail
/// when a class implementing <see cref="ICheck"/> is missing here or two checks share a key.
/// </summary>
public static class ChecksRegistration
{
    public static IReadOnlyList<ICheck> All { get; } =
    [
        new DeadLinkCheck(),
        new SiteUnreachableCheck(),
        new NotCheckedCheck(),
        new MissingIdentityCheck(),
        new CommercialAdCheck(),
        new SeriousErrorCheck(),
        new TlsInvalidCheck(),
        new HiddenLinkCheck(),
        new OverseasHostCheck(),
        new StaleHomepageCheck(),
        new StaleColumnCheck(),
        new BlankColumnCheck(),
        new SleepingAccountCheck(),
        new ZombieAccountCheck(),
        new AccountUnreachableCheck(),
        new DuplicateAccountCheck(),
    ];
}
