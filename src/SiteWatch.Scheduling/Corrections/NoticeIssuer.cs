using MailKit;
using MailKit.Security;
using Microsoft.Extensions.Options;
using SiteWatch.Reports;
using SiteWatch.Reports.Mail;
using SiteWatch.Storage;

namespace SiteWatch.Scheduling.Corrections;

/// <summary>
/// Issues a round's correction notices: writes the reports (which records the notices as notified, with their deadline)
/// and, when asked, mails each notice to its target's contact, recording each mailing in the case's history.
/// </summary>
public sealed class NoticeIssuer(RoundReports reports, CorrectionStore corrections, IOptions<MailOptions> mail) : INoticeIssuer
{
    public async Task<NoticeIssue> IssueAsync(string? roundId, string outDirectory, bool mailThem, CancellationToken ct)
    {
        var (round, input, result) = await reports.WriteAsync(roundId, outDirectory, ct);
        if (!mailThem)
        {
            return new NoticeIssue(round, input, result, null, null);
        }

        var options = mail.Value;
        IReadOnlyList<MailOutcome> outcomes;
        try
        {
            outcomes = await new NoticeMailer(options).SendAsync(input, result, ct);
        }
        catch (Exception e) when (e is InvalidOperationException or System.Net.Sockets.SocketException or ServiceNotConnectedException or AuthenticationException
            or SslHandshakeException or ProtocolException or CommandException)
        {
            throw new NoticeMailException($"notices written but not mailed: {e.Message}", e);
        }

        foreach (var sent in outcomes.Where(o => o.Sent))
        {
            await corrections.NotifyAsync(round.Id, sent.TargetId, input.NoticeDeadline, CorrectionStore.SystemActor, $"整改通知已发送至 mailed to {sent.To}", ct);
        }

        return new NoticeIssue(round, input, result, outcomes, $"{options.Host}:{options.Port}");
    }
}
