using System.CommandLine;
using NexusFast.Native.Cli;

namespace NexusFast.Native;

public static class Program
{
    // SIGINT/SIGTERM are handled by the node itself (finish the block in flight, checkpoint, exit 0), so the
    // command-line library must not race it with its own forced termination.
    public static Task<int> Main(string[] args) =>
        NexusCli.Build().Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
}
