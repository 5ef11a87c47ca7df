namespace NexusFast.Engine.Tests.Vm.Toolchain;

/// <summary>Finds files of the checkout (C test programs, contracts/) from the test binaries by walking up to NexusFast.sln.</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> s_root = new(FindRoot);

    public static string Root => s_root.Value;

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NexusFast.sln"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException($"no NexusFast.sln above {AppContext.BaseDirectory}");
    }
}
