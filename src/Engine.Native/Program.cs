using NexusFast.Native.Cli;

namespace NexusFast.Native;

public static class Program
{
    public static Task<int> Main(string[] args) => NexusCli.Build().Parse(args).InvokeAsync();
}
