using FluentValidation;
using Requesty.Contracts.Management;

namespace Requesty.Management.Application.Byok;

/// <summary>PUT /v1/manage/byok/{provider} (snake_case on the wire: "api_key").</summary>
public sealed record PutByokKeyRequest(string? ApiKey);

public static class ByokRules
{
    public const int MinKeyLength = 16;
    public const int MaxKeyLength = 512;

    public static bool IsProvider(string provider) => ByokEncryption.Providers.Contains(provider);

    public static string ProviderMessage => $"provider must be one of: {string.Join(", ", ByokEncryption.Providers)}.";
}

/// <summary>Messages never quote the key: a rejected key must not end up in a response or a log.</summary>
public sealed class PutByokKeyRequestValidator : AbstractValidator<PutByokKeyRequest>
{
    public PutByokKeyRequestValidator()
    {
        RuleFor(r => r.ApiKey)
            .NotEmpty().WithMessage("api_key is required.")
            .Length(ByokRules.MinKeyLength, ByokRules.MaxKeyLength)
            .WithMessage($"api_key must be {ByokRules.MinKeyLength}-{ByokRules.MaxKeyLength} characters.")
            .Must(k => k is null || k.All(c => c > ' ' && c != '\u007f'))
            .WithMessage("api_key must not contain spaces or control characters.");
    }
}
