namespace SiteWatch.Rules;

/// <summary>A crawler-rules file that cannot be used; the message starts with <c>file:line:</c>.</summary>
public sealed class RuleFileException(string message) : Exception(message);
