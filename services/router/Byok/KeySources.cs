namespace Requesty.Router.Byok;

/// <summary>
/// Which key a policy entry's attempts use. An entry's key_source expands into one or two candidates:
/// platform | byok | platform_then_byok (platform key, then the organisation's own on failure) | byok_then_platform.
/// </summary>
public static class KeySources
{
    public const string Platform = "platform";
    public const string Byok = "byok";

    private static readonly string[] PlatformOnly = [Platform];
    private static readonly string[] ByokOnly = [Byok];
    private static readonly string[] PlatformThenByok = [Platform, Byok];
    private static readonly string[] ByokThenPlatform = [Byok, Platform];

    /// <summary>The key sources to try for an entry, in order (unknown values use the platform key).</summary>
    public static IReadOnlyList<string> Expand(string? keySource) => keySource switch
    {
        "byok" => ByokOnly,
        "platform_then_byok" => PlatformThenByok,
        "byok_then_platform" => ByokThenPlatform,
        _ => PlatformOnly,
    };

    /// <summary>The BYOK provider whose key serves a catalogue provider (OpenAI's Responses API takes the OpenAI key).</summary>
    public static string KeyProviderFor(string provider) => provider == "openai-responses" ? "openai" : provider;
}
