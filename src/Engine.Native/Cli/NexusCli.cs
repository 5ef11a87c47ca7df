using System.CommandLine;
using System.Reflection;

namespace NexusFast.Native.Cli;

/// <summary>The `nexusfast` command line: one root command with a subcommand per task an operator has.</summary>
public static class NexusCli
{
    public static string Version =>
        typeof(NexusCli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    public static RootCommand Build()
    {
        var root = new RootCommand("NexusFast: a validator node for the Nexus chain (Ethereum wire-compatible).");
        root.Add(DevnetCommand.Build());
        root.Add(NodeCommand.Build());
        root.Add(TestnetCommand.Build());
        root.Add(KeysCommands.Build());
        root.Add(NodeKeyCommands.Build());
        root.Add(TxCommands.Build());
        root.Add(VersionCommand());
        return root;
    }

    private static Command VersionCommand()
    {
        var command = new Command("version", "Print the version, runtime and whether this is the Native AOT build.");
        command.SetAction(_ =>
        {
            Console.WriteLine($"nexusfast {Version}");
            Console.WriteLine($"runtime  .NET {Environment.Version} ({(System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported ? "JIT" : "Native AOT")})");
            Console.WriteLine($"os       {System.Runtime.InteropServices.RuntimeInformation.OSDescription} {System.Runtime.InteropServices.RuntimeInformation.OSArchitecture}");
            return 0;
        });
        return command;
    }
}
