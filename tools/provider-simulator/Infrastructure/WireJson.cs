using System.Text.Encodings.Web;
using System.Text.Json;

namespace Requesty.ProviderSimulator.Infrastructure;

/// <summary>Serializer settings for what goes on the wire: quotes and non-ASCII text unescaped, as providers send them.</summary>
public static class WireJson
{
    public static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
