using System.Runtime.InteropServices;
using NexusFast.Engine.Primitives;
using NexusFast.Interop.Secp256k1;

namespace NexusFast.Engine.Crypto;

/// <summary>
/// One signature whose signer is wanted: the 32-byte hash that was signed and the ECDSA values r, s and the
/// recovery id (Ethereum's yParity, or v − 27 / v − 35 − 2·chainId for legacy transactions). r and s are
/// big-endian 256-bit values, as in the transaction's RLP once left-padded.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct EcdsaRecoveryRequest
{
    public readonly Hash256 MessageHash;
    public readonly Hash256 R;
    public readonly Hash256 S;
    public readonly byte RecoveryId;

    public EcdsaRecoveryRequest(in Hash256 messageHash, in Hash256 r, in Hash256 s, byte recoveryId)
    {
        MessageHash = messageHash;
        R = r;
        S = s;
        RecoveryId = recoveryId;
    }

    public EcdsaRecoveryRequest(in Hash256 messageHash, in UInt256 r, in UInt256 s, byte recoveryId)
        : this(messageHash, Hash256.FromUInt256(r), Hash256.FromUInt256(s), recoveryId)
    {
    }

    /// <summary>From a compact r||s signature, the layout <see cref="Secp256k1.SignRecoverable"/> writes.</summary>
    public EcdsaRecoveryRequest(in Hash256 messageHash, ReadOnlySpan<byte> signature64, byte recoveryId)
    {
        if (signature64.Length != Secp256k1.SignatureLength) ThrowWrongSignatureLength(signature64.Length);
        MessageHash = messageHash;
        R = new Hash256(signature64[..32]);
        S = new Hash256(signature64[32..]);
        RecoveryId = recoveryId;
    }

    [DoesNotReturn]
    private static void ThrowWrongSignatureLength(int actual) =>
        throw new ArgumentException($"signature64 must be exactly 64 bytes (r||s), got {actual}", "signature64");
}
