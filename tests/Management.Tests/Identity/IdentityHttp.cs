using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Requesty.Management.Tests.Support;

namespace Requesty.Management.Tests.Identity;

/// <summary>Small helpers for the identity endpoints (raw JSON, real wire names).</summary>
public static class IdentityHttp
{
    public static string UniqueEmail(string who = "user") => $"{who}-{Guid.NewGuid():N}@example.test";

    public static async Task<JsonNode> CreateUserAsync(this HttpClient client, string role = "member", string? email = null, object? extra = null)
    {
        var body = new JsonObject { ["email"] = email ?? UniqueEmail(role), ["role"] = role };
        if (extra is not null)
            foreach (var (name, value) in JsonSerializer(extra)) body[name] = value?.DeepClone();
        var response = await client.PostAsync("v1/manage/user", JsonContent.Create(body));
        return await response.ReadJsonAsync(HttpStatusCode.Created);
    }

    public static async Task<JsonNode> CreateGroupAsync(this HttpClient client, string? name = null)
    {
        var response = await client.PostAsJsonAsync("v1/manage/group", new { name = name ?? "group " + Guid.NewGuid().ToString("N")[..6] });
        return await response.ReadJsonAsync(HttpStatusCode.Created);
    }

    /// <summary>A key for <paramref name="userId"/> with chat + manage permissions; returns (id, plaintext key).</summary>
    public static async Task<(Guid Id, string Key)> CreateUserKeyAsync(this HttpClient admin, Guid userId, params string[] permissions)
    {
        var created = await admin.CreateKeyAsync(new
        {
            name = "key " + Guid.NewGuid().ToString("N")[..6],
            user_id = userId,
            permissions = permissions.Length == 0 ? ["chat", "manage_read", "manage_write"] : permissions,
        });
        return (created["id"]!.GetValue<Guid>(), created["key"]!.GetValue<string>());
    }

    public static async Task<HttpResponseMessage> SendAsync(this HttpClient client, HttpMethod method, string url, object? body = null, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null) request.Content = body is string json
            ? new StringContent(json, System.Text.Encoding.UTF8, "application/json")
            : JsonContent.Create(body);
        if (ifMatch is not null) request.Headers.IfMatch.Add(new EntityTagHeaderValue(ifMatch));
        return await client.SendAsync(request);
    }

    public static Guid Id(this JsonNode node, string field = "id") => node[field]!.GetValue<Guid>();

    public static IReadOnlyList<string> Fields(this JsonNode problem) =>
        problem["errors"]!.AsObject().Select(p => p.Key).OrderBy(k => k, StringComparer.Ordinal).ToArray();

    private static JsonObject JsonSerializer(object value) =>
        System.Text.Json.JsonSerializer.SerializeToNode(value)!.AsObject();
}
