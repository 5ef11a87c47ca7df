using NexusFast.Engine.Chain;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.State;
using NexusFast.Interop.Secp256k1;

namespace NexusFast.Engine.CrashHost;

/// <summary>
/// The chain the crash host writes and the crash test reopens (both must derive the same genesis), and the
/// deterministic blocks of transfers the host commits: a block's content depends only on the seed and the head it
/// builds on, so a run that is killed and restarted produces the same chain as one that never stopped.
/// </summary>
public static class CrashWorkload
{
    public const ulong ChainId = 31337;

    public const int FundedAccounts = 50;

    /// <summary>Small on purpose: kills land before, during and after state checkpoints, and reopening replays the log.</summary>
    public const ulong CheckpointIntervalBlocks = 3;

    public const int TransfersPerBlockMin = 20;

    public const int TransfersPerBlockMax = 200;

    /// <summary>One transfer in this many goes to a new address, so blocks also insert into the state tree.</summary>
    private const int NewRecipientOdds = 8;

    private static readonly Address s_proposer = Address.Parse("0x00000000000000000000000000000000000000aa");
    private static readonly byte[][] s_keys = CreateKeys();
    private static readonly Address[] s_addresses = CreateAddresses(s_keys);

    public static Address Proposer => s_proposer;

    public static ReadOnlySpan<Address> FundedAddresses => s_addresses;

    /// <summary>The options of the crash chain in <paramref name="directory"/> (null: in memory, for a clean replay).</summary>
    public static ChainOptions Options(string? directory) => new()
    {
        DataDirectory = directory,
        Config = new ChainConfig { ChainId = ChainId },
        Genesis = new GenesisSpec
        {
            Timestamp = 1_700_000_000,
            Allocations = Allocations(),
        },
        CheckpointIntervalBlocks = CheckpointIntervalBlocks,
        Proposer = s_proposer,
        // The state is a few hundred accounts: small FASTER buffers keep start-up (and each kill-restart) quick.
        State = new StateStoreOptions { IndexSizeBytes = 1L << 20, LogMemoryBytes = 1L << 26, LogPageBytes = 1L << 20, NodeCacheCapacity = 1 << 16 },
    };

    /// <summary>
    /// Submits the transfers of the block after the current head (seeded by <paramref name="seed"/> and the head's
    /// number, nonces from the committed state) and produces it. Throws when any transfer is refused or left out: the
    /// workload is built to fit, so that would be a defect, not a crash to survive.
    /// </summary>
    public static Block CommitNextBlock(Blockchain chain, int seed)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ulong number = chain.Head.Number + 1;
        var random = new Random(unchecked(seed * 1_000_003 + (int)number));
        int count = random.Next(TransfersPerBlockMin, TransfersPerBlockMax + 1);
        var nonces = new ulong?[FundedAccounts];
        var raws = new List<byte[]>(count);
        for (int i = 0; i < count; i++)
        {
            int from = random.Next(FundedAccounts);
            ulong nonce = nonces[from] ?? chain.GetAccount(s_addresses[from]).Nonce;
            nonces[from] = nonce + 1;
            Address to = random.Next(NewRecipientOdds) == 0 ? RandomAddress(random) : s_addresses[random.Next(FundedAccounts)];
            raws.Add(SignedTransfer(s_keys[from], nonce, to, (ulong)random.Next(1, 1_000_000)));
        }

        var results = new TxError[count];
        chain.SubmitRawTransactions(raws, results, new Transaction[count]);
        for (int i = 0; i < count; i++)
        {
            if (results[i] != TxError.None)
                throw new InvalidOperationException($"block {number}: transfer {i} was refused: {TxErrorText.Describe(results[i])}");
        }
        Block block = chain.ProduceBlock(0);
        if (block.Number != number || block.Transactions.Length != count)
            throw new InvalidOperationException($"block {block.Number} holds {block.Transactions.Length} transfers, {count} were submitted for block {number}");
        return block;
    }

    private static byte[] SignedTransfer(byte[] key, ulong nonce, Address to, ulong value)
    {
        var tx = new Transaction
        {
            Type = TxType.DynamicFee,
            ChainId = ChainId,
            Nonce = nonce,
            MaxFeePerGas = 10_000_000_000,
            MaxPriorityFeePerGas = 1_000_000_000,
            GasLimit = 21_000,
            To = to,
            Value = value,
        };
        TransactionSigner.Sign(tx, key);
        return TransactionEncoder.Encode(tx);
    }

    private static Address RandomAddress(Random random)
    {
        Span<byte> bytes = stackalloc byte[20];
        random.NextBytes(bytes);
        return new Address(bytes);
    }

    private static GenesisAllocation[] Allocations()
    {
        var allocations = new GenesisAllocation[FundedAccounts];
        for (int i = 0; i < FundedAccounts; i++) allocations[i] = new GenesisAllocation(s_addresses[i], new UInt256(1_000_000_000_000_000_000));
        return allocations;
    }

    private static byte[][] CreateKeys()
    {
        var keys = new byte[FundedAccounts][];
        for (int i = 0; i < keys.Length; i++)
        {
            var key = new byte[32];
            key[0] = 0x22;
            BitConverter.TryWriteBytes(key.AsSpan(28), i + 1);
            keys[i] = key;
        }
        return keys;
    }

    private static Address[] CreateAddresses(byte[][] keys)
    {
        var addresses = new Address[keys.Length];
        Span<byte> publicKey = stackalloc byte[65];
        for (int i = 0; i < keys.Length; i++)
        {
            if (!Secp256k1.TryGetPublicKey(keys[i], publicKey)) throw new InvalidOperationException($"crash workload key {i} is not a valid secp256k1 key");
            addresses[i] = Address.FromPublicKey(publicKey);
        }
        return addresses;
    }
}
