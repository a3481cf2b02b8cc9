using System.Text;

namespace Requesty.Analytics.Application.Queries.Common;

public static class LikePattern
{
    /// <summary>
    /// Turns a filter value with '*' wildcards into a LIKE pattern: LIKE's own metacharacters
    /// ('%', '_', '\') are escaped so they match literally, and each '*' becomes '%'.
    /// The result still has to go through SqlLiteral.String.
    /// </summary>
    public static string FromWildcard(string value)
    {
        var builder = new StringBuilder(value.Length + 4);
        foreach (var c in value)
        {
            builder.Append(c switch
            {
                '\\' => @"\\",
                '%' => @"\%",
                '_' => @"\_",
                '*' => "%",
                _ => c.ToString(),
            });
        }
        return builder.ToString();
    }
}
