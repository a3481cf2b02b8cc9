using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Requesty.Alerts.Application.Alerts;
using Requesty.Alerts.Application.Budgets;
using Requesty.Alerts.Infrastructure.Management;

namespace Requesty.Alerts.Tests.Application;

public sealed class OrgBudgetsTests
{
    private static readonly Guid Org = Guid.NewGuid();
    private static readonly Guid Alice = Guid.NewGuid();
    private static readonly Guid Bob = Guid.NewGuid();

    private static OrgBudgets Budgets(string billingMode = "prepaid", decimal? defaultLimit = 10m) => new(
        Org, true, billingMode, 42.5m, defaultLimit,
        new Dictionary<Guid, UserBudget> { [Alice] = new(Alice, "alice@company.com", 5m), [Bob] = new(Bob, "bob@company.com", null) },
        new Dictionary<Guid, GroupBudget>(), DateTime.UtcNow);

    [Fact]
    public void A_users_limit_is_managements_and_null_means_no_limit_even_with_an_org_default()
    {
        var budgets = Budgets();

        Assert.Equal(new UserProfile("alice@company.com", 5m), budgets.ProfileOf(Alice));
        Assert.Null(budgets.ProfileOf(Bob).MonthlyBudgetUsd);
        var stranger = Guid.NewGuid();
        Assert.Equal(stranger.ToString(), budgets.ProfileOf(stranger).Email);
        Assert.Null(budgets.ProfileOf(stranger).MonthlyBudgetUsd);
    }

    [Fact]
    public void Only_prepaid_and_known_organizations_have_a_balance_to_alert_on()
    {
        Assert.Equal(42.5m, Budgets().AlertBalance);
        Assert.Null(Budgets("postpaid").AlertBalance);
        Assert.Null(OrgBudgets.Unknown(Org, DateTime.UtcNow).AlertBalance);
    }

    [Fact]
    public async Task The_client_reads_string_decimals_and_optional_group_fields_and_the_cache_expires()
    {
        var handler = new ScriptedHandler("""
            {"organization_id":"ORG","billing_mode":"prepaid","balance_usd":"12.50","default_user_monthly_limit":null,
             "users":[{"user_id":"ALICE","email":"alice@company.com","monthly_limit":"5.00"}],
             "groups":[{"group_id":"GROUP","name":"Engineering","monthly_budget":"100","admin_emails":["admin@company.com"]},
                       {"group_id":"00000000-0000-0000-0000-000000000001","name":"Ops","monthly_budget":null}]}
            """.Replace("ORG", Org.ToString()).Replace("ALICE", Alice.ToString()).Replace("GROUP", Bob.ToString()));
        var clock = new ManualClock();
        var options = Options.Create(new ManagementOptions { BudgetsCacheTtl = TimeSpan.FromSeconds(5) });
        var client = new ManagementBudgetsClient(new SingleClientFactory(handler), new ConfigurationBuilder().Build(), options);
        var provider = new OrgBudgetsProvider(client, options, clock);

        var budgets = await provider.GetAsync(Org, CancellationToken.None);
        await provider.GetAsync(Org, CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(6));
        await provider.GetAsync(Org, CancellationToken.None);

        Assert.Equal(2, handler.Calls);
        Assert.Equal(12.50m, budgets.BalanceUsd);
        Assert.Null(budgets.DefaultUserMonthlyLimitUsd);
        Assert.Equal(5m, budgets.Users[Alice].MonthlyLimitUsd);
        Assert.Equal(["admin@company.com"], budgets.Groups[Bob].AdminEmails);
        Assert.Null(budgets.Groups[Bob].MemberMonthlyLimitUsd);
        Assert.Null(budgets.Groups[new Guid("00000000-0000-0000-0000-000000000001")].MonthlyBudgetUsd);
    }

    [Fact]
    public async Task An_error_answer_is_management_unavailable_and_a_404_is_an_unknown_organization()
    {
        var options = Options.Create(new ManagementOptions());
        var failing = new ManagementBudgetsClient(new SingleClientFactory(new ScriptedHandler(null, HttpStatusCode.BadGateway)), new ConfigurationBuilder().Build(), options);
        var missing = new ManagementBudgetsClient(new SingleClientFactory(new ScriptedHandler(null, HttpStatusCode.NotFound)), new ConfigurationBuilder().Build(), options);

        await Assert.ThrowsAsync<ManagementUnavailableException>(() => failing.GetAsync(Org, DateTime.UtcNow, CancellationToken.None));
        Assert.Null(await missing.GetAsync(Org, DateTime.UtcNow, CancellationToken.None));
    }

    private sealed class ScriptedHandler(string? body, HttpStatusCode status = HttpStatusCode.OK) : HttpMessageHandler
    {
        public int Calls { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Calls++;
            Assert.Equal($"/internal/orgs/{Org}/budgets", request.RequestUri!.AbsolutePath);
            var response = new HttpResponseMessage(status);
            if (body is not null) response.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
            return Task.FromResult(response);
        }
    }

    private sealed class SingleClientFactory(HttpMessageHandler handler) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false) { BaseAddress = new Uri("http://management.test/") };
    }

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
