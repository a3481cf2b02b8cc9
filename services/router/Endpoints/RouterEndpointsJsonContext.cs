using System.Text.Json.Serialization;
using Requesty.Router.Endpoints.Models;

namespace Requesty.Router.Endpoints;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ModelList))]
internal sealed partial class RouterEndpointsJsonContext : JsonSerializerContext;
