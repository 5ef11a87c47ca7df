using NexusFast.Engine.Primitives;

namespace NexusFast.Native.Node;

/// <summary>What the node around the chain is: devnet or not, its local accounts, how it produces blocks.</summary>
public sealed record NodeOptions
{
    /// <summary>Enables the development methods (evm_*, anvil_*); a production node answers them as unavailable.</summary>
    public bool IsDevnet { get; init; }

    /// <summary>The addresses eth_accounts lists (the devnet's funded accounts); the node never signs with them.</summary>
    public IReadOnlyList<Address> Accounts { get; init; } = [];

    /// <summary>The web3_clientVersion answer, e.g. "nexusfast/v0.1.0/linux-x64/dotnet10".</summary>
    public string ClientVersion { get; init; } = "nexusfast";

    /// <summary>
    /// The node is one validator of a BFT chain: blocks come from consensus, so the block producer never runs, the
    /// development methods answer that consensus makes the blocks, and eth_sendRawTransaction does not wait for a block.
    /// </summary>
    public bool RunsConsensus { get; init; }

    /// <summary>A block as soon as a submitted transaction is ready (anvil's and hardhat's default).</summary>
    public bool Automine { get; init; } = true;

    /// <summary>Interval mining: a block every this many milliseconds, empty or not (anvil --block-time); 0 = off.</summary>
    public ulong BlockTimeMs { get; init; }

    /// <summary>
    /// How long eth_sendRawTransaction waits, under automine, for the block that includes the transaction before it
    /// answers anyway (the transaction stays in the pool either way).
    /// </summary>
    public int AutomineWaitMs { get; init; } = 10_000;
}
