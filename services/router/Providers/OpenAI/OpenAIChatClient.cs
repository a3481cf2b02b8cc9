using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Requesty.Router.Providers.OpenAI;

/// <summary>Sends chat completion requests to an OpenAI-compatible API over the pooled provider connection.</summary>
public sealed class OpenAIChatClient(IHttpClientFactory httpClients)
{
    public const string HttpClientName = "provider-openai";
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public Task<HttpResponseMessage> SendAsync(ProviderEndpoint endpoint, JsonObject body, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint.BaseAddress, "chat/completions"))
        {
            Content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(body.ToJsonString())) { Headers = { ContentType = Json } },
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", endpoint.ApiKey);
        return httpClients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }
}
