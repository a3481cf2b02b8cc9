using System.Text.Json;

namespace Requesty.Management.Apis.Http;

public static class ManagementJson
{
    /// <summary>Field name of a C# property on the /v1/manage wire (snake_case, as in the product docs).</summary>
    public static string FieldName(string propertyName) => JsonNamingPolicy.SnakeCaseLower.ConvertName(propertyName);

    /// <summary>Internal routes speak ASP.NET's default camelCase, like every other service's contracts.</summary>
    public static readonly JsonSerializerOptions Internal = new(JsonSerializerDefaults.Web);
}
