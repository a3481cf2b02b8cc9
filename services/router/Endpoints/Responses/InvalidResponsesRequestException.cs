namespace Requesty.Router.Endpoints.Responses;

/// <summary>A Responses request we cannot serve as asked; becomes a 400 naming the offending field.</summary>
public sealed class InvalidResponsesRequestException(string param, string message) : Exception(message)
{
    public string Param { get; } = param;
}
