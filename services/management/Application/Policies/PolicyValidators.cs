using System.Text.RegularExpressions;
using FluentValidation;
using Requesty.Management.Domain.Policies;

namespace Requesty.Management.Application.Policies;

public static partial class PolicyRules
{
    public static readonly string[] Types = ["fallback", "loadbalance", "latency"];
    public static readonly string[] KeySources = ["platform", "byok", "platform_then_byok", "byok_then_platform"];
    public const int MaxEntries = 20;
    public const int MaxRetries = 10;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    public static partial Regex NamePattern();

    public const string NameMessage = "name must be 1-64 characters: letters, digits, '.', '_' or '-', starting with a letter or digit.";
}

public sealed class PolicyRequestValidator : AbstractValidator<PolicyRequest>
{
    public PolicyRequestValidator()
    {
        RuleFor(r => r.Name).Must(n => n is null || PolicyRules.NamePattern().IsMatch(n)).WithMessage(PolicyRules.NameMessage);
        RuleFor(r => r.Type)
            .NotEmpty().WithMessage("type is required.")
            .Must(t => t is null || PolicyRules.Types.Contains(t)).WithMessage($"type must be one of: {string.Join(", ", PolicyRules.Types)}.");
        RuleFor(r => r.Entries)
            .NotEmpty().WithMessage("entries must contain at least one entry.")
            .Must(e => e is null || e.Count <= PolicyRules.MaxEntries).WithMessage($"entries may contain at most {PolicyRules.MaxEntries} entries.");
        RuleForEach(r => r.Entries).ChildRules(entry =>
        {
            entry.RuleFor(e => e).NotNull().WithMessage("entries must not contain null.");
            entry.RuleFor(e => e.Model)
                .NotEmpty().WithMessage("model is required.")
                .Must(IsModelOrPolicy).WithMessage("model must be a model id like 'openai/gpt-4o' or a policy reference like 'policy/other'.");
            entry.RuleFor(e => e.Retries)
                .InclusiveBetween(0, PolicyRules.MaxRetries).WithMessage($"retries must be between 0 and {PolicyRules.MaxRetries}.");
            entry.RuleFor(e => e.Weight).GreaterThan(0).WithMessage("weight must be greater than 0.");
            entry.RuleFor(e => e.KeySource)
                .Must(k => k is null || PolicyRules.KeySources.Contains(k))
                .WithMessage($"key_source must be one of: {string.Join(", ", PolicyRules.KeySources)}.");
        }).When(r => r.Entries is not null);
    }

    private static bool IsModelOrPolicy(string? model)
    {
        if (string.IsNullOrWhiteSpace(model) || model.Length > 200) return false;
        if (model.StartsWith(Policy.ReferencePrefix, StringComparison.Ordinal))
            return PolicyRules.NamePattern().IsMatch(model[Policy.ReferencePrefix.Length..]);
        var slash = model.IndexOf('/');
        return slash > 0 && slash < model.Length - 1;
    }
}
