using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Requesty.Analytics.Infrastructure.ClickHouse;

/// <summary>
/// The only way values reach SQL text. ClickHouse 18.16 has no query parameters, so every value
/// is either rendered from a typed value (Guid, DateTime, number) or escaped here.
/// </summary>
public static partial class SqlLiteral
{
    public const string DateTimeFormat = "yyyy-MM-dd HH:mm:ss";

    /// <summary>
    /// A quoted string literal: backslashes and single quotes are escaped, tab/newline/carriage
    /// return become \t \n \r, and any other control character is rejected (it has no business in a filter value).
    /// </summary>
    public static string String(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var builder = new StringBuilder(value.Length + 2);
        builder.Append('\'');
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': builder.Append(@"\\"); break;
                case '\'': builder.Append(@"\'"); break;
                case '\t': builder.Append(@"\t"); break;
                case '\n': builder.Append(@"\n"); break;
                case '\r': builder.Append(@"\r"); break;
                default:
                    if (char.IsControl(c))
                        throw new ArgumentException($"Control character U+{(int)c:X4} is not allowed in a SQL string literal.", nameof(value));
                    builder.Append(c);
                    break;
            }
        }
        builder.Append('\'');
        return builder.ToString();
    }

    public static string Uuid(Guid value) => $"toUUID('{value:D}')";

    /// <summary>A DateTime literal in UTC (fractions dropped: the columns have second precision).</summary>
    public static string DateTime(DateTime value) =>
        $"toDateTime('{FormatDateTime(value)}', 'UTC')";

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A table or column name: letters, digits and underscores only, not starting with a digit.</summary>
    public static string Identifier(string name)
    {
        if (!IdentifierPattern().IsMatch(name))
            throw new ArgumentException($"'{name}' is not a valid identifier.", nameof(name));
        return name;
    }

    /// <summary>"yyyy-MM-dd HH:mm:ss" in UTC; local times are converted, unspecified ones are taken as UTC.</summary>
    public static string FormatDateTime(DateTime value)
    {
        var utc = value.Kind switch
        {
            DateTimeKind.Local => value.ToUniversalTime(),
            DateTimeKind.Unspecified => System.DateTime.SpecifyKind(value, DateTimeKind.Utc),
            _ => value,
        };
        return utc.ToString(DateTimeFormat, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,127}$")]
    private static partial Regex IdentifierPattern();
}
