using FluentValidation;
using Requesty.Management.Application.ApiKeys;
using Requesty.Management.Domain.Users;

namespace Requesty.Management.Application.Users;

public static class IdentityRules
{
    public const int MaxEmailLength = 254;
    public const int MaxNameLength = 100;
    public const int MaxDescriptionLength = 1000;

    public static void Role<T>(IRuleBuilder<T, string?> rule, string field) => rule
        .Must(r => r is null || UserRoles.IsValid(r)).WithMessage($"{field} must be \"admin\" or \"member\".");

    public static void Name<T>(IRuleBuilder<T, string?> rule) => rule
        .Must(n => !string.IsNullOrWhiteSpace(n)).WithMessage("name is required and must not be blank.")
        .MaximumLength(MaxNameLength).WithMessage($"name must be at most {MaxNameLength} characters.");

    public static void Description<T>(IRuleBuilder<T, string?> rule) => rule
        .MaximumLength(MaxDescriptionLength).WithMessage($"description must be at most {MaxDescriptionLength} characters.");

    /// <summary>Same bounds as an API key's monthly limit; <paramref name="field"/> names it in the message.</summary>
    public static void Money<T>(IRuleBuilder<T, decimal?> rule, string field) => rule
        .GreaterThanOrEqualTo(0).WithMessage($"{field} must be zero or more (USD), or null for none.")
        .LessThan(ApiKeyRules.MaxMonthlyLimit).WithMessage($"{field} must be below {ApiKeyRules.MaxMonthlyLimit} USD.")
        .PrecisionScale(18, 6, ignoreTrailingZeros: true).WithMessage($"{field} may have at most 6 decimal places.");
}

public sealed class CreateUserRequestValidator : AbstractValidator<CreateUserRequest>
{
    public CreateUserRequestValidator()
    {
        RuleFor(r => r.Email)
            .NotEmpty().WithMessage("email is required.")
            .MaximumLength(IdentityRules.MaxEmailLength).WithMessage($"email must be at most {IdentityRules.MaxEmailLength} characters.")
            .EmailAddress().WithMessage("email must be an email address.");
        RuleFor(r => r.Role).NotEmpty().WithMessage("role is required (\"admin\" or \"member\").");
        IdentityRules.Role(RuleFor(r => r.Role), "role");
        IdentityRules.Money(RuleFor(r => r.MonthlyLimit), "monthly_limit");
    }
}

public sealed class UpdateUserRequestValidator : AbstractValidator<UpdateUserRequest>
{
    public UpdateUserRequestValidator()
    {
        IdentityRules.Role(RuleFor(r => r.Role), "role");
        IdentityRules.Money(RuleFor(r => r.MonthlyLimit), "monthly_limit");
    }
}
