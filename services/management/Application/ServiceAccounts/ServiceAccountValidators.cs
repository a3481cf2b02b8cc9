using FluentValidation;
using Requesty.Management.Application.Users;

namespace Requesty.Management.Application.ServiceAccounts;

public sealed class CreateServiceAccountRequestValidator : AbstractValidator<CreateServiceAccountRequest>
{
    public CreateServiceAccountRequestValidator()
    {
        IdentityRules.Name(RuleFor(r => r.Name));
        IdentityRules.Description(RuleFor(r => r.Description));
    }
}
