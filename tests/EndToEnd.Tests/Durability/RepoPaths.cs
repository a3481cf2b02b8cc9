namespace Requesty.EndToEnd.Tests.Durability;

/// <summary>Where things are in the repository this test assembly was built from.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    public static string Root => RootPath.Value;

    /// <summary>Debug or Release: the folder above net10.0 in the test assembly's output path.</summary>
    public static string Configuration => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    /// <summary>The router's own build output (built with this test project, it references the router).</summary>
    public static string RouterDll
    {
        get
        {
            var path = Path.Combine(Root, "services", "router", "bin", Configuration, "net10.0", "Requesty.Router.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("router build output not found; build the test project first", path);
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Requesty.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"Requesty.sln not found above {AppContext.BaseDirectory}");
    }
}
