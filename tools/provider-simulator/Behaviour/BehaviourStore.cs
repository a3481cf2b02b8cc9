namespace Requesty.ProviderSimulator.Behaviour;

public sealed record BehaviourRule(Guid Id, SimBehaviour Behaviour, int? Remaining, DateTimeOffset CreatedAt);

/// <summary>Rules set through /__sim/behaviour. The newest matching rule wins and uses up one of its count.</summary>
public sealed class BehaviourStore
{
    private readonly Lock _gate = new();
    private readonly List<BehaviourRule> _rules = [];

    public BehaviourRule Add(SimBehaviour behaviour)
    {
        var rule = new BehaviourRule(Guid.NewGuid(), behaviour, behaviour.Count, DateTimeOffset.UtcNow);
        lock (_gate) _rules.Add(rule);
        return rule;
    }

    public void Clear()
    {
        lock (_gate) _rules.Clear();
    }

    public IReadOnlyList<BehaviourRule> Snapshot()
    {
        lock (_gate) return [.. _rules];
    }

    /// <summary>The behaviour for one request to <paramref name="provider"/>/<paramref name="model"/>, consuming one use of the rule.</summary>
    public SimBehaviour? Take(string provider, string model)
    {
        lock (_gate)
        {
            for (var i = _rules.Count - 1; i >= 0; i--)
            {
                var rule = _rules[i];
                if (!Matches(rule.Behaviour, provider, model)) continue;
                if (rule.Remaining is { } remaining)
                {
                    if (remaining <= 1) _rules.RemoveAt(i);
                    else _rules[i] = rule with { Remaining = remaining - 1 };
                }
                return rule.Behaviour;
            }
            return null;
        }
    }

    private static bool Matches(SimBehaviour behaviour, string provider, string model) =>
        (behaviour.Provider is null || ProviderNames.Same(behaviour.Provider, provider))
        && (behaviour.Model is null || string.Equals(behaviour.Model, model, StringComparison.OrdinalIgnoreCase));
}

public static class ProviderNames
{
    public const string OpenAI = "openai";
    public const string Anthropic = "anthropic";
    public const string Gemini = "gemini";

    public static bool Same(string configured, string actual) =>
        string.Equals(Normalise(configured), actual, StringComparison.OrdinalIgnoreCase);

    private static string Normalise(string name) => name.ToLowerInvariant() switch
    {
        "google" or "google-ai-studio" or "vertex" => Gemini,
        var other => other,
    };
}
