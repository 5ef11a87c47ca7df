using NexusFast.Engine.Crypto;
using NexusFast.Engine.Crypto.MlDsa;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Ledger;

/// <summary>
/// The fixed parts of the Nexus ML-DSA transaction (<see cref="TxType.MlDsa"/>, 0x4E): parameter set, sizes, the
/// signing context, the key hash and the sender address. The byte layout is in docs/ml-dsa-transactions.md and at the
/// top of <see cref="TransactionDecoder"/>; the gas it pays beyond Ethereum's in <see cref="IntrinsicGas"/>.
/// </summary>
/// <remarks>
/// Envelope: 0x4E || rlp([chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gasLimit, to, value, data, accessList,
/// key, signature]) where key is the 1,952-byte public key or the 32-byte <see cref="ComputeKeyHash"/> of one the chain
/// has registered. Signing payload: 0x4E || rlp([the first nine fields, keyHash]), always with the hash, so both forms
/// sign the same bytes; the ML-DSA message is Keccak-256 of that payload, signed under the context
/// <see cref="SigningContext"/> (FIPS 204 section 5.2), which keeps these signatures apart from any other use of the key.
/// </remarks>
public static class MlDsaTransactions
{
    /// <summary>ML-DSA-65: NIST security category 3, the set FIPS 204 suggests for general use.</summary>
    public static MlDsaParameters Parameters => MlDsaParameters.MlDsa65;

    public const int PublicKeySize = 1952;
    public const int SignatureSize = 3309;
    public const int KeyHashSize = Hash256.Size;

    /// <summary>Words of 32 bytes in a public key (1,952 = 61 * 32), as the key registry stores it.</summary>
    public const int PublicKeyWords = PublicKeySize / 32;

    /// <summary>The FIPS 204 context string of every transaction signature; a new layout gets a new version.</summary>
    public static ReadOnlySpan<byte> SigningContext => "nexus-tx-v1"u8;

    /// <summary>Prefix of the address preimage (see <see cref="MlDsaAddress.AddressDomain"/>).</summary>
    public static ReadOnlySpan<byte> AddressDomain => MlDsaAddress.AddressDomain;

    static MlDsaTransactions()
    {
        // The constants above are what the decoder checks lengths against; they must match the parameter set.
        if (Parameters.PublicKeySize != PublicKeySize || MlDsaAddress.PublicKeySize != PublicKeySize || Parameters.SignatureSize != SignatureSize || PublicKeySize % 32 != 0)
            throw new InvalidOperationException("ML-DSA-65 sizes do not match the transaction constants");
    }

    /// <summary>Keccak-256 of the public key: what a hash-form transaction carries and the registry is keyed by.</summary>
    public static Hash256 ComputeKeyHash(ReadOnlySpan<byte> publicKey) => MlDsaAddress.ComputeKeyHash(publicKey);

    /// <summary>The sender address of a public key (<see cref="MlDsaAddress.Of"/>).</summary>
    public static Address AddressOf(ReadOnlySpan<byte> publicKey) => MlDsaAddress.Of(publicKey);
}
