namespace Requesty.Router.Pipeline;

/// <summary>Writes an error in the wire format of the API the client called.</summary>
public interface IClientErrors
{
    Task WriteAsync(HttpResponse response, int status, string code, string message, string? param = null);
}

public sealed class OpenAIClientErrors : IClientErrors
{
    public static readonly OpenAIClientErrors Instance = new();

    public Task WriteAsync(HttpResponse response, int status, string code, string message, string? param = null) =>
        OpenAIErrors.WriteAsync(response, status, OpenAIErrors.TypeFor(status), message, code, param);
}
