using Requesty.Management.Domain.Organizations;

namespace Requesty.Management.Application.Organizations;

/// <summary>Field-level checks of the organisation writes (snake_case field names, as on the wire).</summary>
public static class OrganizationValidators
{
    public const int MaxNameLength = 200;
    public const int MaxModelLength = 200;
    public const int MaxNoteLength = 500;
    public const decimal MaxAmount = 1_000_000_000m;

    public static Dictionary<string, string[]> Check(UpdateOrganizationRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.HasName && (string.IsNullOrWhiteSpace(request.Name) || request.Name.Trim().Length > MaxNameLength))
            errors["name"] = [$"name must be a non-empty string of at most {MaxNameLength} characters."];
        if (request.HasDefaultModel && request.DefaultModel is { } model && (model.Trim().Length == 0 || model.Length > MaxModelLength || model.Trim() != model))
            errors["default_model"] = ["default_model must be a model id such as \"openai/gpt-4o-mini\", or null."];
        if (request.HasDefaultUserMonthlyLimit && request.DefaultUserMonthlyLimit is { } limit && (limit < 0 || limit >= MaxAmount || limit.Scale > 6))
            errors["default_user_monthly_limit"] = ["default_user_monthly_limit must be zero or more (USD, at most 6 decimal places), or null."];
        if (request.HasBillingMode && (request.BillingMode is null || !BillingModes.All.Contains(request.BillingMode)))
            errors["billing_mode"] = [$"billing_mode must be one of: {string.Join(", ", BillingModes.All)}."];
        return errors;
    }

    public static Dictionary<string, string[]> Check(AddCreditsRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.AmountUsd is not { } amount || amount <= 0 || amount >= MaxAmount || amount.Scale > 6)
            errors["amount_usd"] = [$"amount_usd is required: a number greater than 0 and below {MaxAmount} (USD, at most 6 decimal places)."];
        if (request.Note is { Length: > MaxNoteLength })
            errors["note"] = [$"note must be at most {MaxNoteLength} characters."];
        return errors;
    }
}
