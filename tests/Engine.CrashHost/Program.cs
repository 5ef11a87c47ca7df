using System.Diagnostics;
using System.Globalization;
using NexusFast.Engine.Chain;
using NexusFast.Engine.Ledger;

namespace NexusFast.Engine.CrashHost;

/// <summary>
/// <c>NexusFast.Engine.CrashHost &lt;dataDirectory&gt; &lt;seed&gt; [blocksMax] [secondsMax]</c>: opens (recovering) the
/// crash chain in the directory and commits blocks of transfers until a bound is reached or it is killed. After
/// <see cref="Blockchain.ProduceBlock"/> returns, and only then, it prints <c>committed &lt;number&gt; &lt;hash&gt;
/// &lt;stateRoot&gt;</c>: the promise the crash test holds the store to.
/// </summary>
public static class Program
{
    private const int BlocksMaxDefault = 2_000;
    private const int SecondsMaxDefault = 60;

    public static int Main(string[] args)
    {
        if (!TryParseArguments(args, out string directory, out int seed, out int blocksMax, out int secondsMax, out string? error))
        {
            Console.Error.WriteLine(error);
            Console.Error.WriteLine("usage: NexusFast.Engine.CrashHost <dataDirectory> <seed> [blocksMax] [secondsMax]");
            return 2;
        }

        TextWriter output = Console.Out;
        output.WriteLine("opening");
        output.Flush();
        var clock = Stopwatch.StartNew();
        using Blockchain chain = Blockchain.Open(CrashWorkload.Options(directory));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"opened {chain.Head.Number} checkpoint {(chain.RecoveredCheckpoint?.ToString(CultureInfo.InvariantCulture) ?? "none")} replayed {chain.ReplayedBlocks} in {clock.ElapsedMilliseconds} ms"));
        output.Flush();

        for (int produced = 0; produced < blocksMax && clock.Elapsed.TotalSeconds < secondsMax; produced++)
        {
            Block block = CrashWorkload.CommitNextBlock(chain, seed);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"committed {block.Number} {block.Hash} {block.Header.StateRoot}"));
            output.Flush();
        }
        output.WriteLine("done");
        output.Flush();
        return 0;
    }

    private static bool TryParseArguments(string[] args, out string directory, out int seed, out int blocksMax, out int secondsMax, out string? error)
    {
        directory = string.Empty;
        seed = 0;
        blocksMax = BlocksMaxDefault;
        secondsMax = SecondsMaxDefault;
        error = null;
        if (args.Length is < 2 or > 4)
        {
            error = $"expected 2 to 4 arguments, got {args.Length}";
            return false;
        }
        directory = args[0];
        if (!int.TryParse(args[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out seed))
        {
            error = $"seed '{args[1]}' is not a 32-bit integer";
            return false;
        }
        if (args.Length > 2 && (!int.TryParse(args[2], NumberStyles.None, CultureInfo.InvariantCulture, out blocksMax) || blocksMax < 1))
        {
            error = $"blocksMax '{args[2]}' is not a positive integer";
            return false;
        }
        if (args.Length > 3 && (!int.TryParse(args[3], NumberStyles.None, CultureInfo.InvariantCulture, out secondsMax) || secondsMax < 1))
        {
            error = $"secondsMax '{args[3]}' is not a positive integer";
            return false;
        }
        return true;
    }
}
