using System.Collections.Frozen;

namespace Requesty.Router.Providers;

public sealed class ChatCompletionsProviders(IEnumerable<IChatCompletionsProvider> providers)
{
    private readonly FrozenDictionary<string, IChatCompletionsProvider> _byName = providers.ToFrozenDictionary(p => p.Name);

    public bool TryGet(string name, out IChatCompletionsProvider provider) => _byName.TryGetValue(name, out provider!);
}
