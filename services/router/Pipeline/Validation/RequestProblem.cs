namespace Requesty.Router.Pipeline.Validation;

/// <summary>Why a request body cannot be served: the field (OpenAI's "param") and a message that names it.</summary>
public sealed record RequestProblem(string Param, string Message, string Code = "invalid_type");
