using NexusFast.Engine.Crypto.MlDsa;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Tests.Ledger;

/// <summary>Deterministic ML-DSA-65 key pairs (from fixed seeds) and signed Nexus transactions for tests.</summary>
internal static class MlDsaFixtures
{
    public const ulong ChainId = 31337;

    private static readonly Dictionary<int, MlDsaKeyPair> s_keys = new();

    public sealed record MlDsaKeyPair(byte[] PublicKey, byte[] SecretKey)
    {
        public Address Address => MlDsaTransactions.AddressOf(PublicKey);

        public Hash256 KeyHash => MlDsaTransactions.ComputeKeyHash(PublicKey);
    }

    /// <summary>Key pair number <paramref name="i"/>: the seed is 0x5e repeated with i in its last four bytes.</summary>
    public static MlDsaKeyPair Key(int i)
    {
        lock (s_keys)
        {
            if (s_keys.TryGetValue(i, out MlDsaKeyPair? known)) return known;
            var seed = new byte[MlDsaScheme.SeedSize];
            Array.Fill(seed, (byte)0x5e);
            BitConverter.TryWriteBytes(seed.AsSpan(28), i);
            MlDsaParameters p = MlDsaParameters.MlDsa65;
            var publicKey = new byte[p.PublicKeySize];
            var secretKey = new byte[p.SecretKeySize];
            MlDsaScheme.GenerateKey(p, seed, publicKey, secretKey);
            var pair = new MlDsaKeyPair(publicKey, secretKey);
            s_keys[i] = pair;
            return pair;
        }
    }

    /// <summary>An unsigned ML-DSA transfer (EIP-1559 fee fields), gas enough for either key form.</summary>
    public static Transaction Unsigned(ulong nonce, Address? to, ulong value, ulong maxFee = 10_000_000_000, ulong tip = 1_000_000_000, byte[]? data = null) => new()
    {
        Type = TxType.MlDsa,
        ChainId = ChainId,
        Nonce = nonce,
        MaxFeePerGas = maxFee,
        MaxPriorityFeePerGas = tip,
        GasLimit = 200_000,
        To = to,
        Value = value,
        Data = data ?? ReadOnlyMemory<byte>.Empty,
    };

    public static Transaction Signed(MlDsaKeyPair key, ulong nonce, Address? to, ulong value, bool embedKey, byte[]? data = null)
    {
        Transaction tx = Unsigned(nonce, to, value, data: data);
        MlDsaTransactionSigner.Sign(tx, key.SecretKey, key.PublicKey, embedKey, deterministic: true);
        return tx;
    }

    public static byte[] SignedRaw(MlDsaKeyPair key, ulong nonce, Address? to, ulong value, bool embedKey) =>
        TransactionEncoder.Encode(Signed(key, nonce, to, value, embedKey));
}
