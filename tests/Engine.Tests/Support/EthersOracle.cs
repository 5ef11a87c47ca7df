using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NexusFast.Engine.Tests.Support;

/// <summary>
/// Runs tests/js/ethers-oracle.mjs (ethers 6.17.0, pinned by tests/js/package-lock.json) with a batch of requests
/// and returns its answers, for differential tests against ethers. `./build.sh setup` installs the npm packages;
/// tests that use this are <see cref="NodeFactAttribute"/>s, skipped only when node itself is missing.
/// </summary>
public static class EthersOracle
{
    private const int TimeoutMs = 120_000;

    private static readonly Lazy<string?> s_node = new(FindNode);

    /// <summary>The node executable on PATH, or null.</summary>
    public static string? NodePath => s_node.Value;

    /// <summary>Sends the requests as one JSON array on stdin; returns the answer array (same order).</summary>
    public static JsonArray Ask(params JsonObject[] requests) => AskScript("ethers-oracle.mjs", "ethers", requests);

    /// <summary>
    /// The same protocol for another script in tests/js (such as mldsa-oracle.mjs) that needs the npm package
    /// <paramref name="package"/>.
    /// </summary>
    public static JsonArray AskScript(string script, string package, params JsonObject[] requests)
    {
        string node = NodePath ?? throw new InvalidOperationException("node is not installed (the test should have been skipped)");
        string folder = ScriptFolder();
        if (!Directory.Exists(Path.Combine(folder, "node_modules", package)))
        {
            throw new InvalidOperationException(
                $"{folder}/node_modules has no {package}: run ./build.sh setup (it runs npm ci there), or npm ci in {folder}");
        }

        var start = new ProcessStartInfo(node)
        {
            WorkingDirectory = folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start node");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(new JsonArray([.. requests]).ToJsonString());
        process.StandardInput.Close();
        if (!process.WaitForExit(TimeoutMs))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} did not answer within {TimeoutMs} ms");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} exited with {process.ExitCode}: {stderr.Result}");
        }
        JsonArray answers = JsonNode.Parse(stdout.Result)?.AsArray() ?? throw new InvalidOperationException($"{script} printed no JSON");
        if (answers.Count != requests.Length) throw new InvalidOperationException($"asked {requests.Length} questions, got {answers.Count} answers");
        return answers;
    }

    /// <summary>One request, one answer; fails the test with ethers' message when ethers rejected the request.</summary>
    public static JsonObject AskOne(JsonObject request)
    {
        JsonObject answer = Ask(request)[0]!.AsObject();
        if (answer["error"] is { } error) throw new InvalidOperationException($"ethers rejected {request["op"]}: {error}");
        return answer;
    }

    private static string ScriptFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "js");
            if (File.Exists(Path.Combine(candidate, "ethers-oracle.mjs"))) return candidate;
        }
        throw new DirectoryNotFoundException($"tests/js/ethers-oracle.mjs not found above {AppContext.BaseDirectory}");
    }

    private static string? FindNode()
    {
        string? path = Environment.GetEnvironmentVariable("PATH");
        if (path is null) return null;
        foreach (string dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, OperatingSystem.IsWindows() ? "node.exe" : "node");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
