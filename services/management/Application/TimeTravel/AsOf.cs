using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Requesty.Management.Application.TimeTravel;

/// <summary>The optional <c>?as_of=&lt;ISO 8601 instant&gt;</c> of the GET endpoints that can show past state.</summary>
public static class AsOf
{
    public const string Parameter = "as_of";
    public const string Description =
        "as_of=<ISO 8601 instant> answers the state at that instant (folded from the event log); 404 if it did not exist then. An instant in the future gives the current state.";

    /// <summary>
    /// False (with a 400 problem) when as_of is malformed. <paramref name="asOf"/> is null when absent or not in the
    /// past (the current state is the answer then, read as usual).
    /// </summary>
    public static bool TryRead(HttpRequest request, DateTime nowUtc, out DateTime? asOf, [NotNullWhen(false)] out IResult? problem)
    {
        asOf = null;
        problem = null;
        if (!request.Query.TryGetValue(Parameter, out var values) || values.LastOrDefault() is not { Length: > 0 } raw) return true;
        if (!DateTimeOffset.TryParse(raw.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            problem = Results.ValidationProblem(
                new Dictionary<string, string[]> { [Parameter] = ["as_of must be an ISO 8601 instant, e.g. 2025-01-31T12:00:00Z."] },
                title: "The request is invalid.");
            return false;
        }
        if (parsed.UtcDateTime < nowUtc) asOf = parsed.UtcDateTime;
        return true;
    }
}
