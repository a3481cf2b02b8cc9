using FluentValidation;
using Requesty.Management.Application.Users;

namespace Requesty.Management.Application.Projects;

public sealed class CreateProjectRequestValidator : AbstractValidator<CreateProjectRequest>
{
    public CreateProjectRequestValidator()
    {
        IdentityRules.Name(RuleFor(r => r.Name));
        IdentityRules.Money(RuleFor(r => r.MonthlyLimit), "monthly_limit");
    }
}

public sealed class UpdateProjectRequestValidator : AbstractValidator<UpdateProjectRequest>
{
    public UpdateProjectRequestValidator()
    {
        When(r => r.Name is not null, () => IdentityRules.Name(RuleFor(r => r.Name)));
        IdentityRules.Money(RuleFor(r => r.MonthlyLimit), "monthly_limit");
    }
}
