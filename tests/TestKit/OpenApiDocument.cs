using System.Text.Json.Nodes;

namespace Requesty.TestKit;

/// <summary>The OpenAPI document (Swagger) every service serves at /swagger/v1/swagger.json.</summary>
public static class OpenApiDocument
{
    /// <summary>The document's "paths" object (route -> operations); fails unless the service answers with success.</summary>
    public static async Task<JsonObject> PathsAsync(HttpClient client)
    {
        using var response = await client.GetAsync("swagger/v1/swagger.json");
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["paths"]!.AsObject();
    }
}
