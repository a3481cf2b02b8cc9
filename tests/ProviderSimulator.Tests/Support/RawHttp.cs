using System.Text;
using System.Text.Json.Nodes;

namespace Requesty.ProviderSimulator.Tests.Support;

/// <summary>Hand-made provider requests for wire-level assertions.</summary>
public static class RawHttp
{
    public static HttpRequestMessage Post(string path, string json, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        return request;
    }

    public static HttpRequestMessage OpenAI(string path, string json, params (string Name, string Value)[] extra) =>
        Post(path, json, [("Authorization", "Bearer sk-test"), .. extra]);

    public static HttpRequestMessage Anthropic(string json, params (string Name, string Value)[] extra) =>
        Post("v1/messages", json, [("x-api-key", "sk-ant-test"), ("anthropic-version", "2023-06-01"), .. extra]);

    public static async Task<JsonNode> JsonAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
}
