using FluentValidation;
using Requesty.Management.Domain.ApiKeys;

namespace Requesty.Management.Application.ApiKeys;

/// <summary>Rules shared by create and the single-field updates.</summary>
public static class ApiKeyRules
{
    public const int MaxNameLength = 100;
    public const int MaxLabels = 50;
    public const int MaxLabelKeyLength = 64;
    public const int MaxLabelValueLength = 256;
    public const decimal MaxMonthlyLimit = 1_000_000_000m;

    public static void MonthlyLimit<T>(IRuleBuilder<T, decimal?> rule) => rule
        .GreaterThanOrEqualTo(0).WithMessage("monthly_limit must be zero or more (USD), or null for no limit.")
        .LessThan(MaxMonthlyLimit).WithMessage($"monthly_limit must be below {MaxMonthlyLimit} USD.")
        .PrecisionScale(18, 6, ignoreTrailingZeros: true).WithMessage("monthly_limit may have at most 6 decimal places.");

    public static void Labels<T>(IRuleBuilder<T, Dictionary<string, string>?> rule) => rule
        .Must(l => l is null || l.Count <= MaxLabels).WithMessage($"At most {MaxLabels} labels are allowed.")
        .Must(l => l is null || l.Keys.All(k => !string.IsNullOrWhiteSpace(k) && k.Length <= MaxLabelKeyLength))
            .WithMessage($"Label keys must be non-empty and at most {MaxLabelKeyLength} characters.")
        .Must(l => l is null || l.Values.All(v => v is not null && v.Length <= MaxLabelValueLength))
            .WithMessage($"Label values must be strings of at most {MaxLabelValueLength} characters.");

    public static void FutureExpiry<T>(IRuleBuilder<T, DateTimeOffset?> rule, TimeProvider time) => rule
        .Must(e => e is null || e.Value > time.GetUtcNow()).WithMessage("expires_at must be in the future.");
}

public sealed class CreateApiKeyRequestValidator : AbstractValidator<CreateApiKeyRequest>
{
    public CreateApiKeyRequestValidator(TimeProvider time)
    {
        RuleFor(r => r.Name)
            .NotEmpty().WithMessage("name is required.")
            .MaximumLength(ApiKeyRules.MaxNameLength).WithMessage($"name must be at most {ApiKeyRules.MaxNameLength} characters.");
        ApiKeyRules.MonthlyLimit(RuleFor(r => r.MonthlyLimit));
        RuleFor(r => r.Permissions)
            .Must(p => p is null || p.Count > 0).WithMessage("permissions must not be empty (omit it for [\"chat\"]).")
            .Must(p => p is null || p.All(ApiKeyPermissions.All.Contains))
                .WithMessage($"permissions may only contain: {string.Join(", ", ApiKeyPermissions.All)}.");
        ApiKeyRules.Labels(RuleFor(r => r.Labels));
        ApiKeyRules.FutureExpiry(RuleFor(r => r.ExpiresAt), time);
        RuleFor(r => r.ServiceAccountId)
            .Null().When(r => r.UserId is not null).WithMessage("A key belongs to a service account or to a user, not both: send service_account_id or user_id.");
    }
}

public sealed class UpdateApiKeyLimitRequestValidator : AbstractValidator<UpdateApiKeyLimitRequest>
{
    public UpdateApiKeyLimitRequestValidator() => ApiKeyRules.MonthlyLimit(RuleFor(r => r.MonthlyLimit));
}

public sealed class UpdateApiKeyLabelsRequestValidator : AbstractValidator<UpdateApiKeyLabelsRequest>
{
    public UpdateApiKeyLabelsRequestValidator()
    {
        RuleFor(r => r.Labels).NotNull().WithMessage("labels is required (an empty object removes all labels).");
        ApiKeyRules.Labels(RuleFor(r => r.Labels));
    }
}

public sealed class UpdateApiKeyExpiryRequestValidator : AbstractValidator<UpdateApiKeyExpiryRequest>
{
    public UpdateApiKeyExpiryRequestValidator(TimeProvider time) => ApiKeyRules.FutureExpiry(RuleFor(r => r.ExpiresAt), time);
}
