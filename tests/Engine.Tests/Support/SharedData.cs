namespace NexusFast.Engine.Tests.Support;

/// <summary>
/// Locates the read-only test data in ../shared (beside the checkout in CI). The data is never copied into
/// the project; NEXUSFAST_SHARED overrides the search for unusual layouts.
/// </summary>
public static class SharedData
{
    private static readonly Lazy<string> s_root = new(FindRoot);

    public static string Root => s_root.Value;

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        string? overridden = Environment.GetEnvironmentVariable("NEXUSFAST_SHARED");
        if (!string.IsNullOrEmpty(overridden))
        {
            return Directory.Exists(overridden)
                ? overridden
                : throw new DirectoryNotFoundException($"NEXUSFAST_SHARED points to '{overridden}', which does not exist");
        }

        // Walk up from the test binaries: <repo>/tests/X/bin/Release/net10.0 -> <repo>/.. holds shared/.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "vectors");
            if (Directory.Exists(candidate)) return Path.Combine(dir.FullName, "shared");
        }

        throw new DirectoryNotFoundException(
            $"test data not found: no 'shared/vectors' folder above {AppContext.BaseDirectory}; " +
            "check out the repository beside shared/ or set NEXUSFAST_SHARED");
    }
}
