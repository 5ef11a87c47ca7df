using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Ledger;

/// <summary>
/// A decoded, signed transaction of any supported type. The ingest path takes instances from a
/// <see cref="TransactionRecycler"/>, which reuses them (<see cref="Reset"/>) only once no reader can still see them.
/// Fee fields are normalised: for legacy and EIP-2930 transactions <see cref="MaxFeePerGas"/> and
/// <see cref="MaxPriorityFeePerGas"/> both equal the gas price, which is what EIP-1559 prescribes for them.
/// </summary>
public sealed class Transaction
{
    public TxType Type { get; set; }

    /// <summary>Chain id from the payload (typed) or from v (EIP-155 legacy); 0 for an unprotected legacy transaction.</summary>
    public ulong ChainId { get; set; }

    public ulong Nonce { get; set; }

    public UInt256 MaxPriorityFeePerGas { get; set; }

    public UInt256 MaxFeePerGas { get; set; }

    /// <summary>
    /// The legacy/EIP-2930 gasPrice field (equals <see cref="MaxFeePerGas"/> for those types). Setting it sets both fee
    /// fields, which is the normalisation above.
    /// </summary>
    public UInt256 GasPrice
    {
        get => MaxFeePerGas;
        set
        {
            MaxFeePerGas = value;
            MaxPriorityFeePerGas = value;
        }
    }

    public ulong GasLimit { get; set; }

    /// <summary>Recipient; null for contract creation.</summary>
    public Address? To { get; set; }

    public bool IsContractCreation => To is null;

    public UInt256 Value { get; set; }

    public ReadOnlyMemory<byte> Data { get; set; }

    public AccessListEntry[] AccessList { get; set; } = AccessListEntry.None;

    /// <summary>Signature y-parity (0 or 1); for legacy it is derived from v.</summary>
    public byte YParity { get; set; }

    /// <summary>The legacy v value as encoded (27/28 or chainId*2+35/36); for typed transactions equals <see cref="YParity"/>.</summary>
    public ulong V { get; set; }

    public UInt256 R { get; set; }

    public UInt256 S { get; set; }

    /// <summary>
    /// ML-DSA (<see cref="TxType.MlDsa"/>): Keccak-256 of the signer's public key. Always set for that type, whether the
    /// envelope carries the key or only this hash; the signing payload covers it.
    /// </summary>
    public Hash256 MlDsaKeyHash { get; set; }

    /// <summary>
    /// ML-DSA: the signer's public key (1,952 bytes). Set by the decoder when the envelope carries it, otherwise by the
    /// sender recovery, which looks the key hash up among registered keys; empty until then.
    /// </summary>
    public ReadOnlyMemory<byte> MlDsaPublicKey { get; set; }

    /// <summary>ML-DSA: true when the envelope carries the whole public key, false when it carries only its hash.</summary>
    public bool MlDsaKeyEmbedded { get; set; }

    /// <summary>ML-DSA: the FIPS 204 signature (3,309 bytes for ML-DSA-65).</summary>
    public ReadOnlyMemory<byte> MlDsaSignature { get; set; }

    public bool IsMlDsa => Type == TxType.MlDsa;

    /// <summary>Keccak-256 of the full envelope (type byte included).</summary>
    public Hash256 Hash { get; set; }

    /// <summary>Length of the canonical envelope in bytes.</summary>
    public int EncodedLength { get; set; }

    /// <summary>Set once the signature has been recovered to a sender.</summary>
    public Address Sender { get; set; }

    public bool HasSender { get; set; }

    /// <summary>True for a legacy transaction without EIP-155 replay protection (v = 27/28).</summary>
    public bool IsUnprotectedLegacy => Type == TxType.Legacy && (V == 27 || V == 28);

    /// <summary>Price paid per gas under <paramref name="baseFee"/>: min(maxFee, baseFee + maxPriorityFee) (EIP-1559).</summary>
    public UInt256 EffectiveGasPrice(in UInt256 baseFee)
    {
        UInt256 withTip = baseFee + MaxPriorityFeePerGas;
        // baseFee + tip cannot wrap for values that passed the fee-cap checks; clamp defensively anyway.
        if (withTip < baseFee) return MaxFeePerGas;
        return UInt256.Min(MaxFeePerGas, withTip);
    }

    /// <summary>Tip per gas to the proposer: effective price minus the burned base fee; zero if the cap is below the base fee.</summary>
    public UInt256 EffectiveTip(in UInt256 baseFee)
    {
        if (MaxFeePerGas < baseFee) return UInt256.Zero;
        return UInt256.Min(MaxPriorityFeePerGas, MaxFeePerGas - baseFee);
    }

    /// <summary>
    /// The most this transaction can cost: gasLimit * maxFee + value. Returns false when that does not fit in
    /// 256 bits, which stateless validation already rejects.
    /// </summary>
    public bool TryGetMaxCost(out UInt256 maxCost)
    {
        if (UInt256.MultiplyOverflow(new UInt256(GasLimit), MaxFeePerGas, out UInt256 gasCost) ||
            UInt256.AddOverflow(gasCost, Value, out maxCost))
        {
            maxCost = UInt256.MaxValue;
            return false;
        }
        return true;
    }

    /// <summary>Handed out by a <see cref="TransactionRecycler"/>, which may reuse it once it is retired.</summary>
    public bool IsRecycled { get; internal set; }

    /// <summary>Clears every field so the instance can be reused from a pool (<see cref="IsRecycled"/> stays).</summary>
    public void Reset()
    {
        Type = TxType.Legacy;
        ChainId = 0;
        Nonce = 0;
        MaxPriorityFeePerGas = default;
        MaxFeePerGas = default;
        GasLimit = 0;
        To = null;
        Value = default;
        Data = default;
        AccessList = AccessListEntry.None;
        YParity = 0;
        V = 0;
        R = default;
        S = default;
        MlDsaKeyHash = default;
        MlDsaPublicKey = default;
        MlDsaKeyEmbedded = false;
        MlDsaSignature = default;
        Hash = default;
        EncodedLength = 0;
        Sender = default;
        HasSender = false;
    }
}
