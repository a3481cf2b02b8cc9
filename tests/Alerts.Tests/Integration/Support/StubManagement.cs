using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Requesty.Contracts.Keys;
using Requesty.TestKit;

namespace Requesty.Alerts.Tests.Integration.Support;

/// <summary>
/// Stands in for the management service on 127.0.0.1 (a real HTTP server) with exactly the contract
/// alerts builds against: GET /internal/orgs/{org}/budgets and GET /internal/keys/{sha256}, both
/// behind the internal token. Budgets can change between evaluations and an organization can be
/// made to fail (503) to simulate an outage.
/// </summary>
public sealed class StubManagement : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<Guid, OrgBudgetsDocument> _budgets = new();
    private readonly ConcurrentDictionary<Guid, bool> _failing = new();
    private readonly ConcurrentDictionary<string, ApiKeyContext> _keys = new();
    private readonly ConcurrentDictionary<Guid, int> _budgetCalls = new();

    private StubManagement(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<StubManagement> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var stub = new StubManagement(app);
        app.MapGet("/internal/orgs/{org:guid}/budgets", (Guid org, HttpRequest request) =>
        {
            if (!Authorized(request)) return Results.Unauthorized();
            stub._budgetCalls.AddOrUpdate(org, 1, (_, n) => n + 1);
            if (stub._failing.ContainsKey(org)) return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
            return stub._budgets.TryGetValue(org, out var document)
                ? Results.Text(document.ToJson(org).ToJsonString(), "application/json")
                : Results.NotFound();
        });
        app.MapGet("/internal/keys/{hash}", (string hash, HttpRequest request) =>
            !Authorized(request) ? Results.Unauthorized()
            : stub._keys.TryGetValue(hash, out var key) ? Results.Ok(key) : Results.NotFound());
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        stub.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return stub;
    }

    /// <summary>Sets (or replaces) what management answers for the organization.</summary>
    public OrgBudgetsDocument Budgets(Guid org, string billingMode = "prepaid", decimal balance = 1000m, decimal? defaultUserMonthlyLimit = null) =>
        _budgets[org] = new OrgBudgetsDocument(billingMode, balance, defaultUserMonthlyLimit);

    public OrgBudgetsDocument BudgetsOf(Guid org) => _budgets[org];

    public void Fail(Guid org, bool failing = true)
    {
        if (failing) _failing[org] = true;
        else _failing.TryRemove(org, out _);
    }

    public int BudgetCalls(Guid org) => _budgetCalls.GetValueOrDefault(org);

    /// <summary>Registers a gateway key; returns its plaintext (only its SHA-256 is looked up).</summary>
    public string AddKey(Guid org, string role, params string[] permissions)
    {
        var plaintext = $"rqsty-sk-test-{Guid.NewGuid():N}";
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(plaintext)));
        _keys[hash] = new ApiKeyContext
        {
            KeyHash = hash, ApiKeyId = Guid.NewGuid(), OrganizationId = org, UserId = Guid.NewGuid(),
            Role = role, Permissions = permissions,
        };
        return plaintext;
    }

    private static bool Authorized(HttpRequest request) => request.Headers.Authorization.ToString() == $"Bearer {TestServers.InternalToken}";

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One organization's budgets as management serves them (decimals as strings, snake_case).</summary>
public sealed class OrgBudgetsDocument(string billingMode, decimal balance, decimal? defaultUserMonthlyLimit)
{
    private readonly ConcurrentDictionary<Guid, (string Email, decimal? Limit)> _users = new();
    private readonly ConcurrentDictionary<Guid, (string Name, decimal? Budget, decimal? MemberLimit, string[] Admins)> _groups = new();

    public decimal Balance { get; set; } = balance;

    public string BillingMode { get; set; } = billingMode;

    public decimal? DefaultUserMonthlyLimit { get; set; } = defaultUserMonthlyLimit;

    public OrgBudgetsDocument User(Guid id, string email, decimal? monthlyLimit)
    {
        _users[id] = (email, monthlyLimit);
        return this;
    }

    /// <summary><paramref name="memberLimit"/> and <paramref name="admins"/> are the optional contract extensions.</summary>
    public OrgBudgetsDocument Group(Guid id, string name, decimal? monthlyBudget, decimal? memberLimit = null, params string[] admins)
    {
        _groups[id] = (name, monthlyBudget, memberLimit, admins);
        return this;
    }

    public JsonObject ToJson(Guid org)
    {
        var document = new JsonObject
        {
            ["organization_id"] = org.ToString(),
            ["billing_mode"] = BillingMode,
            ["balance_usd"] = Text(Balance),
            ["default_user_monthly_limit"] = Text(DefaultUserMonthlyLimit),
            ["users"] = new JsonArray(_users.Select(u => (JsonNode)new JsonObject
            {
                ["user_id"] = u.Key.ToString(), ["email"] = u.Value.Email, ["monthly_limit"] = Text(u.Value.Limit),
            }).ToArray()),
            ["groups"] = new JsonArray(_groups.Select(g =>
            {
                var group = new JsonObject
                {
                    ["group_id"] = g.Key.ToString(), ["name"] = g.Value.Name, ["monthly_budget"] = Text(g.Value.Budget),
                };
                if (g.Value.MemberLimit is not null) group["member_monthly_limit"] = Text(g.Value.MemberLimit);
                if (g.Value.Admins.Length > 0) group["admin_emails"] = new JsonArray(g.Value.Admins.Select(a => (JsonNode)JsonValue.Create(a)!).ToArray());
                return (JsonNode)group;
            }).ToArray()),
        };
        return document;
    }

    private static JsonNode? Text(decimal? value) => value is { } v ? JsonValue.Create(v.ToString(CultureInfo.InvariantCulture)) : null;
}
