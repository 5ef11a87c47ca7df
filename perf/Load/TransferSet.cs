using System.Text;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;

namespace NexusFast.Load;

/// <summary>
/// The pre-signed workload: <c>count</c> EIP-1559 transfers of 1 wei from <c>accounts</c> senders (secrets 1..accounts,
/// the same accounts every run, so a running node's genesis can fund them), nonces in order per sender. Transaction i
/// is sender i % accounts with nonce i / accounts, so consecutive transactions come from different senders.
/// </summary>
public sealed class TransferSet
{
    private TransferSet(byte[][] rawHex, Hash256[] hashes, EcdsaRecoveryRequest[] signatures, Address[] senders)
    {
        RawHex = rawHex;
        Hashes = hashes;
        Signatures = signatures;
        Senders = senders;
    }

    /// <summary>Each transaction's envelope as the JSON string value clients send: "0x…" in lower-case hex, ASCII.</summary>
    public byte[][] RawHex { get; }

    public Hash256[] Hashes { get; }

    /// <summary>What recovering each sender takes (signing hash, r, s, parity): the raw recovery baseline's input.</summary>
    public EcdsaRecoveryRequest[] Signatures { get; }

    public Address[] Senders { get; }

    public int Count => Hashes.Length;

    public static Address[] AccountAddresses(int accounts)
    {
        var addresses = new Address[accounts];
        Parallel.For(0, accounts, s => addresses[s] = Address.FromPublicKey(PublicKeyOf(Secret(s))));
        return addresses;
    }

    public static TransferSet Sign(int count, int accounts, ulong chainId)
    {
        var rawHex = new byte[count][];
        var hashes = new Hash256[count];
        var signatures = new EcdsaRecoveryRequest[count];
        var secrets = new byte[accounts][];
        for (int s = 0; s < accounts; s++) secrets[s] = Secret(s);
        var recipient = Address.Parse("0x00000000000000000000000000000000000000bb");
        Parallel.For(0, count, i =>
        {
            var tx = new Transaction
            {
                Type = TxType.DynamicFee,
                ChainId = chainId,
                Nonce = (ulong)(i / accounts),
                MaxFeePerGas = new UInt256(100_000_000_000),
                MaxPriorityFeePerGas = new UInt256(1_000_000_000),
                GasLimit = 21_000,
                To = recipient,
                Value = new UInt256(1),
            };
            TransactionSigner.Sign(tx, secrets[i % accounts]);
            rawHex[i] = Encoding.ASCII.GetBytes("0x" + Convert.ToHexStringLower(TransactionEncoder.Encode(tx)));
            hashes[i] = tx.Hash;
            signatures[i] = new EcdsaRecoveryRequest(TransactionEncoder.ComputeSigningHash(tx), tx.R, tx.S, tx.YParity);
        });
        return new TransferSet(rawHex, hashes, signatures, AccountAddresses(accounts));
    }

    /// <summary>
    /// The genesis.alloc object funding every account with 10^24 wei, plus <paramref name="stateAccounts"/> accounts
    /// without keys (0x5e5e5e5e followed by the index) that only give the state its size.
    /// </summary>
    public static string GenesisAlloc(IReadOnlyList<Address> accounts, int stateAccounts = 0)
    {
        var alloc = new StringBuilder("{", 80 * (accounts.Count + stateAccounts) + 2);
        for (int s = 0; s < accounts.Count; s++)
        {
            if (s > 0) alloc.Append(',');
            alloc.Append('"').Append(accounts[s].ToString()).Append("\":\"1000000000000000000000000\"");
        }
        Span<byte> bytes = stackalloc byte[Address.Size];
        for (int i = 0; i < stateAccounts; i++)
        {
            bytes.Clear();
            bytes[0] = bytes[1] = bytes[2] = bytes[3] = 0x5e;
            System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(bytes[12..], i);
            if (alloc.Length > 1) alloc.Append(',');
            alloc.Append('"').Append(new Address(bytes).ToString()).Append("\":\"1000000000000000000\"");
        }
        return alloc.Append('}').ToString();
    }

    private static byte[] Secret(int account)
    {
        var secret = new byte[32];
        int n = account + 1;
        secret[28] = (byte)(n >> 24);
        secret[29] = (byte)(n >> 16);
        secret[30] = (byte)(n >> 8);
        secret[31] = (byte)n;
        return secret;
    }

    private static byte[] PublicKeyOf(byte[] secret)
    {
        var publicKey = new byte[65];
        if (!NexusFast.Interop.Secp256k1.Secp256k1.TryGetPublicKey(secret, publicKey)) throw new InvalidOperationException("invalid secret");
        return publicKey;
    }
}
