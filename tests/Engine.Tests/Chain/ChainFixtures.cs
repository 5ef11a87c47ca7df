using NexusFast.Engine.Chain;
using NexusFast.Engine.Crypto;
using NexusFast.Interop.Secp256k1;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Tests.Chain;

/// <summary>Deterministic funded keys and signed transfers for chain-level tests.</summary>
internal static class ChainFixtures
{
    public const ulong ChainId = 31337;

    public static byte[] Key(int i)
    {
        var key = new byte[32];
        key[0] = 0x11;
        BitConverter.TryWriteBytes(key.AsSpan(28), i + 1);
        return key;
    }

    public static Address AddressOf(byte[] key)
    {
        Span<byte> publicKey = stackalloc byte[65];
        Secp256k1.TryGetPublicKey(key, publicKey);
        return Address.FromPublicKey(publicKey);
    }

    public static ChainOptions Options(int accounts, string? directory = null, ulong checkpointInterval = 4) => new()
    {
        DataDirectory = directory,
        Config = new ChainConfig { ChainId = ChainId },
        Genesis = new GenesisSpec
        {
            Timestamp = 1_700_000_000,
            Allocations = Enumerable.Range(0, accounts)
                .Select(i => new GenesisAllocation(AddressOf(Key(i)), new UInt256(1_000_000_000_000_000_000)))
                .ToArray(),
        },
        CheckpointIntervalBlocks = checkpointInterval,
        Proposer = Address.Parse("0x00000000000000000000000000000000000000aa"),
    };

    public static byte[] SignedTransfer(byte[] key, ulong nonce, Address to, ulong value, ulong maxFee = 10_000_000_000, ulong tip = 1_000_000_000)
    {
        var tx = new Transaction
        {
            Type = TxType.DynamicFee,
            ChainId = ChainId,
            Nonce = nonce,
            MaxFeePerGas = maxFee,
            MaxPriorityFeePerGas = tip,
            GasLimit = 21_000,
            To = to,
            Value = value,
        };
        TransactionSigner.Sign(tx, key);
        return TransactionEncoder.Encode(tx);
    }

    /// <summary>What a peer would send: the block's bytes decoded again, senders not yet recovered.</summary>
    public static Block Reencoded(Block block)
    {
        var txs = block.Transactions.Select(t =>
        {
            var copy = new Transaction();
            Assert.Equal(TxError.None, TransactionDecoder.TryDecode(TransactionEncoder.Encode(t), copy, out _));
            return copy;
        }).ToArray();
        return new Block(block.Header, block.Hash, txs);
    }
}
