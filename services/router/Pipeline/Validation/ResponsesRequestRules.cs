using System.Text.Json.Nodes;
using static Requesty.Router.Pipeline.Validation.JsonShape;

namespace Requesty.Router.Pipeline.Validation;

/// <summary>The shape of a /v1/responses body: every known top-level field has its documented JSON type.</summary>
public static class ResponsesRequestRules
{
    public static RequestProblem? Check(JsonObject body) => First(
        String(body["model"], "model"),
        StringOrArray(body["input"], "input"),
        String(body["instructions"], "instructions"),
        Bool(body["stream"], "stream"),
        Integer(body["max_output_tokens"], "max_output_tokens", minimum: 1),
        Number(body["temperature"], "temperature"),
        Number(body["top_p"], "top_p"),
        Array(body["tools"], "tools"),
        StringOrObject(body["tool_choice"], "tool_choice"),
        Bool(body["parallel_tool_calls"], "parallel_tool_calls"),
        Object(body["text"], "text"),
        Object(body["reasoning"], "reasoning"),
        Object(body["metadata"], "metadata"),
        String(body["previous_response_id"], "previous_response_id"),
        Bool(body["store"], "store"),
        String(body["user"], "user"),
        Object(body["requesty"], "requesty"));
}
