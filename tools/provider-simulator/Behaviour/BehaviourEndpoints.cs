using System.Text.Json;

namespace Requesty.ProviderSimulator.Behaviour;

/// <summary>PUT / GET / DELETE /__sim/behaviour: the control surface tests and benchmarks use.</summary>
public static class BehaviourEndpoints
{
    public static IEndpointRouteBuilder MapBehaviourControl(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/__sim/behaviour").WithTags("Simulator control");
        group.MapPut("", PutAsync);
        group.MapPost("", PutAsync);
        group.MapGet("", (BehaviourStore store) => Results.Json(store.Snapshot().Select(Describe), SimBehaviour.Json));
        group.MapDelete("", (BehaviourStore store) =>
        {
            store.Clear();
            return Results.NoContent();
        });
        return app;
    }

    private static async Task<IResult> PutAsync(HttpContext context, BehaviourStore store)
    {
        SimBehaviour? behaviour;
        try
        {
            behaviour = await JsonSerializer.DeserializeAsync<SimBehaviour>(context.Request.Body, SimBehaviour.Json, context.RequestAborted);
        }
        catch (JsonException ex)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["body"] = [ex.Message] });
        }
        if (behaviour is null) return Results.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["A behaviour object is required."] });
        var errors = behaviour.Validate();
        if (errors.Count > 0) return Results.ValidationProblem(errors);
        var rule = store.Add(behaviour);
        return Results.Json(Describe(rule), SimBehaviour.Json, statusCode: StatusCodes.Status201Created);
    }

    private static object Describe(BehaviourRule rule) => new
    {
        id = rule.Id,
        remaining = rule.Remaining,
        created_at = rule.CreatedAt,
        behaviour = rule.Behaviour,
    };
}
