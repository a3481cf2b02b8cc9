namespace Requesty.Router.Endpoints.Responses;

/// <summary>An image a chat model generated, as carried in OpenAI-format message.images: base64 data and its media type.</summary>
public sealed record GeneratedImage(string MediaType, string Base64)
{
    /// <summary>png, jpeg, webp... as the Responses API names output formats.</summary>
    public string Format => MediaType.StartsWith("image/", StringComparison.OrdinalIgnoreCase) ? MediaType["image/".Length..].ToLowerInvariant() : "png";

    /// <summary>"data:image/png;base64,..." -> the image; null for anything else (an http URL, a malformed value).</summary>
    public static GeneratedImage? FromDataUrl(string? url)
    {
        if (url is null || !url.StartsWith("data:", StringComparison.Ordinal)) return null;
        var marker = url.IndexOf(";base64,", StringComparison.Ordinal);
        if (marker < 5) return null;
        var mediaType = url[5..marker];
        return new GeneratedImage(mediaType.Length > 0 ? mediaType : "image/png", url[(marker + ";base64,".Length)..]);
    }
}
