using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace NexusFast.Engine.Tests.Vm.Toolchain;

/// <summary>
/// Compiles C test programs with clang-14 for BPF (relocatable objects for the loader) and with gcc for this machine
/// (the native side of the differential tests). Outputs are cached in the temp folder under a hash of the compiler,
/// its flags, the source and every header beside it, so a test run compiles only what changed; concurrent tests
/// write through a temporary name and a rename, so none reads a half-written file.
/// </summary>
public static class CCompiler
{
    public const string Clang = "/usr/bin/clang-14";
    public const string Gcc = "gcc";
    public const string Objdump = "/usr/bin/llvm-objdump-14";

    public static bool ClangAvailable => File.Exists(Clang);

    public static bool GccAvailable => FindOnPath(Gcc) is not null;

    /// <summary>llvm-objdump-14 comes with Debian's llvm-14, which clang-14 only recommends.</summary>
    public static bool ObjdumpAvailable => File.Exists(Objdump);

    private static readonly string s_cacheDirectory = Path.Combine(Path.GetTempPath(), "nexusfast-c-cache");

    /// <summary>clang-14 -target bpf -O2 -c; <paramref name="extraFlags"/> e.g. "-mcpu=v3".</summary>
    public static string CompileBpf(string source, params string[] extraFlags) =>
        Compile(Clang, source, ".o", ["-target", "bpf", "-O2", "-Wall", "-Werror", "-c", .. extraFlags], []);

    /// <summary>gcc -O2 of the program together with <paramref name="extraSources"/> (e.g. a main), into an executable.</summary>
    public static string CompileNative(string source, string[] extraSources, params string[] extraFlags) =>
        Compile(FindOnPath(Gcc) ?? Gcc, source, "", ["-O2", "-Wall", "-Werror", .. extraFlags], extraSources);

    public static string Run(string executable, string arguments, string? standardInput = null, int timeoutMs = 60_000)
    {
        var start = new ProcessStartInfo(executable, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = standardInput is not null,
            UseShellExecute = false,
        };
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {executable}");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            process.StandardInput.Write(standardInput);
            process.StandardInput.Close();
        }
        if (!process.WaitForExit(timeoutMs))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{executable} {arguments} ran longer than {timeoutMs} ms");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{executable} {arguments} exited with {process.ExitCode}: {error.Result}{output.Result}");
        }
        return output.Result;
    }

    private static string Compile(string compiler, string source, string extension, string[] flags, string[] extraSources)
    {
        string[] inputs = [source, .. extraSources];
        string key = CacheKey(compiler, flags, inputs);
        Directory.CreateDirectory(s_cacheDirectory);
        string output = Path.Combine(s_cacheDirectory, $"{Path.GetFileNameWithoutExtension(source)}-{key}{extension}");
        if (File.Exists(output)) return output;

        string temporary = $"{output}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        var arguments = new StringBuilder();
        foreach (string flag in flags) arguments.Append(flag).Append(' ');
        foreach (string directory in inputs.Select(i => Path.GetDirectoryName(i)!).Distinct()) arguments.Append($"-I \"{directory}\" ");
        arguments.Append($"-I \"{RepositoryPaths.PathOf("contracts")}\" ");
        foreach (string input in inputs) arguments.Append($"\"{input}\" ");
        arguments.Append($"-o \"{temporary}\"");
        try
        {
            Run(compiler, arguments.ToString());
            File.Move(temporary, output, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
        return output;
    }

    /// <summary>Hash of everything that decides the output: compiler, flags, sources, and the headers they may include.</summary>
    private static string CacheKey(string compiler, string[] flags, string[] inputs)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(compiler + "\n" + string.Join(' ', flags) + "\n"));
        var headers = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string input in inputs)
        {
            hash.AppendData(File.ReadAllBytes(input));
            foreach (string header in Directory.GetFiles(Path.GetDirectoryName(input)!, "*.h")) headers.Add(header);
        }
        foreach (string header in Directory.GetFiles(RepositoryPaths.PathOf("contracts"), "*.h")) headers.Add(header);
        foreach (string header in headers)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetFileName(header)));
            hash.AppendData(File.ReadAllBytes(header));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }

    private static string? FindOnPath(string name)
    {
        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            string candidate = Path.Combine(directory, name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}

/// <summary>A fact that compiles C for BPF: skipped, with the reason, only when clang-14 is not installed.</summary>
public sealed class ClangFactAttribute : FactAttribute
{
    public ClangFactAttribute()
    {
        if (!CCompiler.ClangAvailable) Skip = "clang-14 is not installed (./build.sh setup installs it); this test compiles C for BPF";
    }
}

/// <summary>A fact that compares with llvm-objdump-14's listing; skipped, with the reason, when clang-14 or llvm-14 is missing.</summary>
public sealed class ObjdumpFactAttribute : FactAttribute
{
    public ObjdumpFactAttribute()
    {
        if (!CCompiler.ClangAvailable || !CCompiler.ObjdumpAvailable)
        {
            Skip = "clang-14 and llvm-objdump-14 (Debian package llvm-14) are needed; this test compares with LLVM's listing";
        }
    }
}

/// <summary>A theory that compares with llvm-objdump-14's listing; skipped, with the reason, when clang-14 or llvm-14 is missing.</summary>
public sealed class ObjdumpTheoryAttribute : TheoryAttribute
{
    public ObjdumpTheoryAttribute()
    {
        if (!CCompiler.ClangAvailable || !CCompiler.ObjdumpAvailable)
        {
            Skip = "clang-14 and llvm-objdump-14 (Debian package llvm-14) are needed; this test compares with LLVM's listing";
        }
    }
}

/// <summary>A theory over C programs compiled for BPF; skipped only when clang-14 is not installed.</summary>
public sealed class ClangTheoryAttribute : TheoryAttribute
{
    public ClangTheoryAttribute()
    {
        if (!CCompiler.ClangAvailable) Skip = "clang-14 is not installed (./build.sh setup installs it); this test compiles C for BPF";
    }
}
