using System.Diagnostics;
using System.Runtime.Intrinsics.X86;
using NexusFast.Engine.Crypto.Lanes;

namespace NexusFast.Engine.Tests.Crypto.Lanes;

/// <summary>
/// The path choice itself, which a process makes once: the host (tests/Engine.LaneHost) is started with instruction
/// sets turned off the way an operator would, and must pick the next narrower path and still hash correctly.
/// </summary>
public class LaneSelectionTests
{
    // .NET 10 reads DOTNET_EnableAVX512 (it ignores DOTNET_EnableAVX512F, which .NET 8 and 9 read); both are set so
    // the test means the same on either runtime. Turning AVX2 off turns off everything above it too.
    private static readonly (string Name, string Value)[] s_noAvx512 = [("DOTNET_EnableAVX512", "0"), ("DOTNET_EnableAVX512F", "0")];
    private static readonly (string Name, string Value)[] s_noAvx2 = [.. s_noAvx512, ("DOTNET_EnableAVX2", "0")];

    [Fact]
    public void The_best_path_is_the_widest_instruction_set_the_process_has()
    {
        LanePath expected = Avx512F.IsSupported ? LanePath.Avx512 : Avx2.IsSupported ? LanePath.Avx2 : LanePath.Scalar;
        Assert.Equal(expected, LaneSelection.Best);
        Assert.True(LaneSelection.IsSupported(LanePath.Scalar));
    }

    [Fact]
    public void A_host_with_every_instruction_set_picks_the_same_path_as_this_process()
    {
        AssertHostChooses(LaneSelection.Best, []);
    }

    [Fact]
    public void A_host_without_avx512_falls_back_to_avx2_and_still_hashes_correctly()
    {
        AssertHostChooses(Avx2.IsSupported ? LanePath.Avx2 : LanePath.Scalar, s_noAvx512);
    }

    [Fact]
    public void A_host_without_avx2_falls_back_to_scalar_and_still_hashes_correctly()
    {
        AssertHostChooses(LanePath.Scalar, s_noAvx2);
    }

    private static void AssertHostChooses(LanePath expected, (string Name, string Value)[] environment)
    {
        string host = Path.Combine(AppContext.BaseDirectory, "NexusFast.Engine.LaneHost.dll");
        Assert.True(File.Exists(host), $"the lane host is not built next to the tests: {host}");
        // The dotnet CLI tells the processes it starts where it lives; fall back to the one on PATH.
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(host);
        // The child inherits this process's settings (so the expectations, computed here, hold when the tests themselves
        // run with an instruction set turned off) and adds the ones under test.
        foreach ((string name, string value) in environment) start.Environment[name] = value;

        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("the lane host did not finish within 60 s");
        }
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string context = $"host output: [{output.Trim()}], errors: [{error.Result.Trim()}]";
        Assert.True(process.ExitCode == 0, context);
        Assert.Equal(["best " + expected, "sha256 ok", "keccak256 ok"], lines);
    }
}
