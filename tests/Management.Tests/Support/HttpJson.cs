using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Requesty.Management.Tests.Support;

/// <summary>Reads responses as raw JSON so tests check the real wire field names.</summary>
public static class HttpJson
{
    public static async Task<JsonNode> ReadJsonAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!;
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, string json) =>
        client.PostAsync(url, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

    public static async Task<JsonNode> CreateKeyAsync(this HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("v1/manage/apikey", body);
        return await response.ReadJsonAsync(HttpStatusCode.Created);
    }

    /// <summary>A problem details document with the given status (and the RFC 7807 content type).</summary>
    public static async Task<JsonNode> ReadProblemAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var problem = await response.ReadJsonAsync(expected);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)expected, problem["status"]!.GetValue<int>());
        return problem;
    }
}
