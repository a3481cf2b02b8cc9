using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Requesty.Contracts.Events;
using Requesty.Contracts.Keys;
using Requesty.Contracts.Management;
using Requesty.ProviderSimulator;
using Requesty.Router.Keys;
using Requesty.Router.Tests.Unit.Byok;
using Requesty.TestKit;

namespace Requesty.Router.Tests.Integration.Byok;

/// <summary>
/// Simulator + a stub management that also serves /internal/byok (the organisation's sealed OpenAI key) + the
/// router holding the same master key, and a probe of RequestCompleted on the real RabbitMQ. One per test class.
/// </summary>
public sealed class ByokRouterFixture : IAsyncLifetime
{
    public const string MasterKeyId = "test-k1";
    public string MasterKey { get; } = OwnKeySealer.NewMasterKey();
    /// <summary>The organisation's own OpenAI key (the simulator accepts any key).</summary>
    public string OwnOpenAIKey { get; } = "sk-org-own-" + Guid.NewGuid().ToString("N");
    public string OwnAnthropicKey { get; } = "sk-ant-org-own-" + Guid.NewGuid().ToString("N");
    public string ApiKey { get; } = "rqsty-sk-byok-" + Guid.NewGuid().ToString("N");
    public ApiKeyContext Key { get; private set; } = null!;
    public ServiceHost Simulator { get; private set; } = null!;
    public ServiceHost Router { get; private set; } = null!;
    public EventProbe<RequestCompleted> Events { get; private set; } = null!;
    private ServiceHost _management = null!;
    private readonly TemporaryDirectory _journal = new("router-journal-byok-");

    public async Task InitializeAsync()
    {
        Key = new ApiKeyContext
        {
            KeyHash = KeyHasher.Hash(ApiKey), ApiKeyId = Guid.NewGuid(), OrganizationId = Guid.NewGuid(), UserId = Guid.NewGuid(),
            Permissions = ["chat"], Version = 1,
        };
        RoutingPolicy Policy(string name, params RoutingPolicyEntry[] entries) =>
            new() { OrganizationId = Key.OrganizationId, Name = name, Type = "fallback", Entries = entries, Version = 1 };
        IReadOnlyList<RoutingPolicy> policies =
        [
            Policy("own", new RoutingPolicyEntry { Model = "openai/gpt-4o-mini", KeySource = "byok" }),
            Policy("platform-then-own", new RoutingPolicyEntry { Model = "openai/gpt-4o", KeySource = "platform_then_byok" }),
            Policy("own-claude", new RoutingPolicyEntry { Model = "anthropic/claude-sonnet-4-5", KeySource = "byok" }),
            Policy("own-grok", new RoutingPolicyEntry { Model = "xai/grok-3-mini", KeySource = "byok" }),
            Policy("own-gemini-then-platform",
                new RoutingPolicyEntry { Model = "google/gemini-2.5-flash", KeySource = "byok" },
                new RoutingPolicyEntry { Model = "openai/gpt-4o-mini", KeySource = "platform" }),
        ];
        IReadOnlyList<ByokKey> ownKeys =
        [
            OwnKeySealer.Seal(MasterKey, MasterKeyId, Key.OrganizationId, "openai", OwnOpenAIKey),
            OwnKeySealer.Seal(MasterKey, MasterKeyId, Key.OrganizationId, "anthropic", OwnAnthropicKey),
        ];

        Events = await EventProbe<RequestCompleted>.StartAsync();
        Simulator = await ServiceHost.StartAsync(SimulatorApp.Build);
        _management = await ServiceHost.StartAsync(StubManagementWithByok(Key, policies, ownKeys));
        Router = await ServiceHost.StartAsync(RouterApp.Build,
        [
            .. TestServers.ServiceArgs(),
            $"--Management:Url={_management.BaseAddress}",
            $"--Analytics:Url={_management.BaseAddress}",
            $"--Simulator:Url={Simulator.BaseAddress}",
            $"--Journal:Directory={_journal.Path}",
            $"--Byok:MasterKeys:{MasterKeyId}={MasterKey}",
            // Events only: a periodic re-read of the stub's fixed snapshot would drop keys the tests add by event.
            "--Byok:ResyncSeconds=3600",
        ]);
        using var probe = Router.CreateClient();
        await Eventually.GetAsync(async () => (await probe.GetAsync("readyz")).IsSuccessStatusCode ? "ready" : null,
            TimeSpan.FromSeconds(30), "the router to load keys, policies and own keys");
    }

    public HttpClient CreateRouterClient()
    {
        var client = Router.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", ApiKey);
        return client;
    }

    public async Task DisposeAsync()
    {
        await Router.DisposeAsync();
        await _management.DisposeAsync();
        await Simulator.DisposeAsync();
        await Events.DisposeAsync();
        _journal.Dispose();
    }

    private static Func<string[], WebApplication> StubManagementWithByok(ApiKeyContext key, IReadOnlyList<RoutingPolicy> policies, IReadOnlyList<ByokKey> ownKeys) => args =>
    {
        var app = WebApplication.CreateSlimBuilder(args).Build();
        app.MapGet("/internal/keys", (HttpRequest request) => Authorized(request) ? Results.Ok(new[] { key }) : Results.Unauthorized());
        app.MapGet("/internal/keys/{hash}", (string hash, HttpRequest request) =>
            !Authorized(request) ? Results.Unauthorized() : hash == key.KeyHash ? Results.Ok(key) : Results.NotFound());
        app.MapGet("/internal/policies", (HttpRequest request) => Authorized(request) ? Results.Ok(policies) : Results.Unauthorized());
        app.MapGet("/internal/byok", (HttpRequest request) => Authorized(request) ? Results.Ok(ownKeys) : Results.Unauthorized());
        return app;
    };

    private static bool Authorized(HttpRequest request) => request.Headers.Authorization.ToString() == $"Bearer {TestServers.InternalToken}";
}
