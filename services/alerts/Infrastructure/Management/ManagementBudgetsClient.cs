using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Requesty.Alerts.Application.Budgets;

namespace Requesty.Alerts.Infrastructure.Management;

/// <summary>
/// GET {Management:Url}/internal/orgs/{orgId}/budgets with the internal token. Decimals arrive as
/// JSON strings (numbers are accepted too), names are snake_case; 404 = organization unknown.
/// </summary>
public sealed class ManagementBudgetsClient(IHttpClientFactory httpClients, IConfiguration configuration, IOptions<ManagementOptions> options)
{
    public const string HttpClientName = "management";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };

    /// <returns>The organization's budgets, or null when management does not know the organization.</returns>
    /// <exception cref="ManagementUnavailableException">Unreachable, timed out, an error status or an unreadable body.</exception>
    public async Task<OrgBudgets?> GetAsync(Guid organizationId, DateTime fetchedAt, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.RequestTimeout);
        try
        {
            var http = httpClients.CreateClient(HttpClientName);
            using var request = new HttpRequestMessage(HttpMethod.Get, $"internal/orgs/{organizationId}/budgets");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", configuration["Internal:Token"] ?? "");
            using var response = await http.SendAsync(request, timeout.Token);
            if (response.StatusCode == HttpStatusCode.NotFound) return null;
            if (!response.IsSuccessStatusCode)
                throw new ManagementUnavailableException($"Management answered {(int)response.StatusCode} for the budgets of organization {organizationId}.");
            var body = await response.Content.ReadFromJsonAsync<BudgetsResponse>(Json, timeout.Token)
                ?? throw new ManagementUnavailableException("Management answered an empty budgets body.");
            return ToBudgets(organizationId, body, fetchedAt);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ManagementUnavailableException($"Management did not answer within {options.Value.RequestTimeout.TotalSeconds:0.#} s.", e);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or NotSupportedException)
        {
            throw new ManagementUnavailableException($"Management budgets for organization {organizationId} could not be read: {e.Message}", e);
        }
    }

    private static OrgBudgets ToBudgets(Guid organizationId, BudgetsResponse body, DateTime fetchedAt) => new(
        organizationId,
        Known: true,
        body.BillingMode,
        body.BalanceUsd,
        body.DefaultUserMonthlyLimit,
        (body.Users ?? []).Where(u => u.UserId != Guid.Empty)
            .GroupBy(u => u.UserId)
            .ToDictionary(g => g.Key, g => new UserBudget(g.Key, g.First().Email ?? g.Key.ToString(), g.First().MonthlyLimit)),
        (body.Groups ?? []).Where(g => g.GroupId != Guid.Empty)
            .GroupBy(g => g.GroupId)
            .ToDictionary(g => g.Key, g =>
            {
                var group = g.First();
                return new GroupBudget(g.Key, group.Name ?? g.Key.ToString(), group.MonthlyBudget, group.MemberMonthlyLimit,
                    (group.AdminEmails ?? []).Where(e => !string.IsNullOrWhiteSpace(e)).ToList());
            }),
        fetchedAt);

    private sealed record BudgetsResponse(
        Guid? OrganizationId, string? BillingMode, decimal? BalanceUsd, decimal? DefaultUserMonthlyLimit,
        List<UserEntry>? Users, List<GroupEntry>? Groups);

    private sealed record UserEntry(Guid UserId, string? Email, decimal? MonthlyLimit);

    /// <summary>member_monthly_limit and admin_emails are optional extensions of the contract.</summary>
    private sealed record GroupEntry(Guid GroupId, string? Name, decimal? MonthlyBudget, decimal? MemberMonthlyLimit, List<string>? AdminEmails);
}
