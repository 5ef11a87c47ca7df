using NexusFast.Engine.Chain;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;

namespace NexusFast.Benchmarks;

/// <summary>
/// The block workload: a chain whose genesis funds <see cref="AccountCount"/> accounts, and blocks of
/// <see cref="TransfersPerBlock"/> EIP-1559 value transfers among them with senders already recovered (other sizes
/// through the constructor: <see cref="LargeBlockBenchmarks"/> runs 50,000 among 1,000,000). Shared by
/// <see cref="BlockBenchmarks"/> and <see cref="BlockProfile"/> so that both run the same blocks.
/// </summary>
/// <remarks>
/// <para>Senders and recipients are drawn uniformly (seeded), so a block touches about 19,000 distinct accounts (a
/// sender may appear twice, with consecutive nonces) plus the proposer, and every account is a leaf of the state tree.</para>
/// <para>Signatures: a transfer carries random r and s of full length (so the envelope, the transaction hash and the
/// stored block record have the size of a real one) and its sender set as recovered. Nothing after recovery reads the
/// signature, and recovery itself is measured by SenderRecoveryBenchmarks.</para>
/// <para>The gas limit is twice the block's gas (10,000 x 21,000), i.e. the block uses exactly the EIP-1559 target, so
/// the base fee stays put however many blocks a run commits.</para>
/// </remarks>
public sealed class TransferWorkload
{
    public const int AccountCount = 100_000;
    public const int TransfersPerBlock = 10_000;
    public const ulong ChainId = 31337;

    public static readonly Address Proposer = Address.Parse("0x00000000000000000000000000000000000000aa");
    private static readonly UInt256 s_maxFee = new(4_000_000_000);
    private static readonly UInt256 s_tip = new(1_000_000_000);

    private readonly Address[] _accounts;
    private readonly ulong[] _nonces;
    private readonly Random _random;
    private readonly int _transfersPerBlock;

    public TransferWorkload(int seed = 100_000, int accountCount = AccountCount, int transfersPerBlock = TransfersPerBlock)
    {
        _random = new Random(seed);
        _transfersPerBlock = transfersPerBlock;
        _accounts = new Address[accountCount];
        Span<byte> bytes = stackalloc byte[Address.Size];
        var seen = new HashSet<Address>(accountCount);
        for (int i = 0; i < accountCount; i++)
        {
            Address address;
            do
            {
                _random.NextBytes(bytes);
                address = new Address(bytes);
            }
            while (!seen.Add(address) || address == Proposer);
            _accounts[i] = address;
        }
        _nonces = new ulong[accountCount];
    }

    public IReadOnlyList<Address> Accounts => _accounts;

    /// <summary>Twice a block's gas: blocks use exactly the EIP-1559 target, so the base fee stays put.</summary>
    public ulong BlockGasLimit => 2UL * (ulong)_transfersPerBlock * 21_000;

    /// <summary>Options for a chain with this genesis in <paramref name="dataDirectory"/> (null: in memory).</summary>
    public ChainOptions ChainOptions(string? dataDirectory, ulong checkpointIntervalBlocks)
    {
        // 1,000 ether each: enough for thousands of blocks of these transfers.
        var balance = new UInt256(1_000_000_000_000_000_000) * new UInt256(1_000);
        var allocations = new GenesisAllocation[_accounts.Length];
        for (int i = 0; i < _accounts.Length; i++) allocations[i] = new GenesisAllocation(_accounts[i], balance);
        return new ChainOptions
        {
            DataDirectory = dataDirectory,
            Config = new ChainConfig { ChainId = ChainId, BlockGasLimit = BlockGasLimit },
            Genesis = new GenesisSpec { Timestamp = 1_700_000_000, Allocations = allocations },
            CheckpointIntervalBlocks = checkpointIntervalBlocks,
            Proposer = Proposer,
        };
    }

    /// <summary>
    /// The next block's transfers, with nonces continuing from the previous call's. Every one is valid against the
    /// state the previous blocks (all committed) leave.
    /// </summary>
    public Transaction[] NextBlock()
    {
        var block = new Transaction[_transfersPerBlock];
        Span<byte> word = stackalloc byte[32];
        for (int i = 0; i < block.Length; i++)
        {
            int from = _random.Next(_accounts.Length);
            int to = _random.Next(_accounts.Length - 1);
            if (to >= from) to++;
            var tx = new Transaction
            {
                Type = TxType.DynamicFee,
                ChainId = ChainId,
                Nonce = _nonces[from]++,
                MaxFeePerGas = s_maxFee,
                MaxPriorityFeePerGas = s_tip,
                GasLimit = 21_000,
                To = _accounts[to],
                Value = new UInt256((ulong)_random.NextInt64(1, 1_000_000_000_000_000)),
                YParity = (byte)_random.Next(2),
                R = RandomWord(word),
                S = RandomWord(word),
            };
            tx.V = tx.YParity;
            tx.Hash = TransactionEncoder.ComputeHash(tx);
            tx.EncodedLength = TransactionEncoder.GetEncodedLength(tx);
            tx.Sender = _accounts[from];
            tx.HasSender = true;
            block[i] = tx;
        }
        return block;
    }

    private UInt256 RandomWord(Span<byte> word)
    {
        _random.NextBytes(word);
        word[0] = (byte)(1 + (word[0] & 0x3f)); // non-zero top byte (full-length encoding), below the curve order
        return UInt256.FromBigEndian32(word);
    }
}
