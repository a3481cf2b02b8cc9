namespace Requesty.Management.Application.Usage;

/// <summary>The "usage" object of GET /v1/manage/apikey/{id}, from the analytics service.</summary>
/// <param name="Start">First instant covered (UTC).</param>
/// <param name="End">End of the range, exclusive (UTC).</param>
/// <param name="Period">hour, day, week (starting Monday) or month.</param>
/// <param name="GroupBy">The grouping asked for, or null.</param>
/// <param name="Totals">The whole range.</param>
/// <param name="Periods">Per period with requests (periods without any are left out), all groups together.</param>
/// <param name="Groups">Per group value (e.g. per model), only when group_by was given.</param>
public sealed record KeyUsageResponse(
    DateTime Start,
    DateTime End,
    string Period,
    string? GroupBy,
    UsageFigures Totals,
    IReadOnlyList<UsagePeriod> Periods,
    IReadOnlyList<UsageGroup>? Groups);

/// <param name="Cost">USD.</param>
/// <param name="Requests">Requests made.</param>
/// <param name="Tokens">Input plus output tokens.</param>
public sealed record UsageFigures(decimal Cost, ulong Requests, ulong Tokens, ulong InputTokens, ulong OutputTokens)
{
    public static readonly UsageFigures Zero = new(0m, 0, 0, 0, 0);

    public UsageFigures Plus(UsageFigures other) => new(
        Cost + other.Cost, Requests + other.Requests, Tokens + other.Tokens, InputTokens + other.InputTokens, OutputTokens + other.OutputTokens);
}

/// <param name="Start">Start of the period (UTC).</param>
public sealed record UsagePeriod(DateTime Start, decimal Cost, ulong Requests, ulong Tokens, ulong InputTokens, ulong OutputTokens)
{
    public static UsagePeriod From(DateTime start, UsageFigures figures) =>
        new(start, figures.Cost, figures.Requests, figures.Tokens, figures.InputTokens, figures.OutputTokens);
}

/// <param name="Group">The group's value ("" when the field was empty).</param>
public sealed record UsageGroup(string Group, UsageFigures Totals, IReadOnlyList<UsagePeriod> Periods);
