using System.Net;
using System.Text.RegularExpressions;

namespace Requesty.Analytics.Infrastructure.ClickHouse;

/// <summary>ClickHouse answered with an error (its HTTP interface returns the plain-text message).</summary>
public sealed partial class ClickHouseException : Exception
{
    public ClickHouseException(HttpStatusCode statusCode, string serverMessage)
        : base($"ClickHouse error (HTTP {(int)statusCode}): {serverMessage.Trim()}")
    {
        StatusCode = statusCode;
        ServerMessage = serverMessage.Trim();
        ErrorCode = ParseCode(ServerMessage);
    }

    public HttpStatusCode StatusCode { get; }

    /// <summary>ClickHouse's numeric error code ("Code: 60, ...") or null when the text carried none.</summary>
    public int? ErrorCode { get; }

    public string ServerMessage { get; }

    private static int? ParseCode(string message)
    {
        var match = CodePattern().Match(message);
        return match.Success && int.TryParse(match.Groups[1].Value, out var code) ? code : null;
    }

    [GeneratedRegex(@"^Code:\s*(\d+)")]
    private static partial Regex CodePattern();
}
