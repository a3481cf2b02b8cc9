using System.Text.Json;
using System.Text.Json.Serialization;
using Requesty.Contracts.Events;
using Requesty.Contracts.Keys;

namespace Requesty.Router;

/// <summary>Source-generated serializers for everything the router (de)serializes as typed objects.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ApiKeyContext))]
[JsonSerializable(typeof(ApiKeyContext[]))]
[JsonSerializable(typeof(RequestCompleted))]
internal sealed partial class RouterJsonContext : JsonSerializerContext;
