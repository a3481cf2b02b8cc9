using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Requesty.ServiceDefaults;

public static class InternalTokenExtensions
{
    /// <summary>Guards the endpoint(s) with <see cref="InternalTokenFilter"/> (the shared Internal:Token).</summary>
    public static TBuilder RequireInternalToken<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter<TBuilder, InternalTokenFilter>();
}
