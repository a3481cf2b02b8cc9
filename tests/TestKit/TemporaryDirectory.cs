namespace Requesty.TestKit;

/// <summary>A folder under the system's temporary folder that is deleted with everything in it on dispose.</summary>
public sealed class TemporaryDirectory(string prefix = "requesty-test-") : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory(prefix).FullName;

    public void Dispose()
    {
        // A process that still holds a file open (a router being stopped) must not fail the test.
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
