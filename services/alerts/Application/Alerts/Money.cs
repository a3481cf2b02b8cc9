using System.Globalization;

namespace Requesty.Alerts.Application.Alerts;

/// <summary>How amounts appear in payloads: invariant culture, no trailing zeros ("100", "0.8").</summary>
public static class Money
{
    public static decimal Normalize(decimal value) => value / 1.000000000000000000000000000000000m;

    public static string Plain(decimal value) => Normalize(value).ToString(CultureInfo.InvariantCulture);

    /// <summary>Balances keep at least cents ("87.50"), as the spec shows.</summary>
    public static string Balance(decimal value) => value.ToString("0.00###########", CultureInfo.InvariantCulture);
}
