using NexusFast.Native.Config;

namespace NexusFast.Native.Cli;

/// <summary>Runs a command body and turns user errors into one line on stderr and exit code 1.</summary>
public static class CliRunner
{
    public static int Run(Action body)
    {
        try
        {
            body();
            return 0;
        }
        catch (Exception e) when (e is CliException or ConfigException or InvalidDataException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }

    public static async Task<int> RunAsync(Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (Exception e) when (e is CliException or ConfigException or InvalidDataException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }
}
