namespace Requesty.ProviderSimulator.Infrastructure;

/// <summary>Configuration section "Simulator" (e.g. --Simulator:RequestLogCapacity=5000).</summary>
public sealed class SimulatorOptions
{
    /// <summary>Upper bound for behaviour "timeout": the request hangs this long unless the client gives up first.</summary>
    public int TimeoutSeconds { get; set; } = 120;

    /// <summary>How many requests /__sim/requests remembers.</summary>
    public int RequestLogCapacity { get; set; } = 1000;

    /// <summary>
    /// PEM public key (SubjectPublicKeyInfo) of the Vertex service account: the token endpoint then verifies the JWT
    /// assertion's RS256 signature; without it only the assertion's structure and claims are checked.
    /// </summary>
    public string? VertexPublicKeyPem { get; set; }
}
