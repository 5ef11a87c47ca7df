using System.Buffers;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Diagnostics;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.Primitives.Rlp;

namespace NexusFast.Engine.Ledger;

/// <summary>
/// Canonical encodings of a <see cref="Transaction"/>: the signed envelope (what <see cref="TransactionDecoder"/> reads
/// and the transaction hash covers) and the signing payload whose Keccak-256 the sender signs. Lengths are exact, so a
/// caller can size a buffer once; nothing here allocates except <see cref="Encode(Transaction)"/>'s result.
/// </summary>
/// <remarks>
/// Legacy: rlp([nonce, gasPrice, gasLimit, to, value, data, v, r, s]); signing payload the first six fields, plus
/// [chainId, 0, 0] when the chain id is not zero (EIP-155). EIP-2930: 0x01 || rlp([chainId, nonce, gasPrice, gasLimit,
/// to, value, data, accessList, yParity, r, s]). EIP-1559: 0x02 || rlp([chainId, nonce, maxPriorityFeePerGas,
/// maxFeePerGas, gasLimit, to, value, data, accessList, yParity, r, s]). A typed signing payload is the type byte and
/// the list without the last three fields (EIP-2718, EIP-2930, EIP-1559). Nexus ML-DSA (0x4E, see
/// <see cref="MlDsaTransactions"/>): 0x4E || rlp([the EIP-1559 fields up to accessList, key, signature]), key being the
/// public key or its hash as decoded; its signing payload replaces the last two fields with the key hash.
/// </remarks>
public static class TransactionEncoder
{
    /// <summary>
    /// Payloads up to this size are built on the stack. A plain transfer's payload is about 120 bytes; 1 KiB covers
    /// ordinary contract calls, and larger ones (up to the 128 KiB policy limit) use a pooled array.
    /// </summary>
    private const int StackBufferMax = 1024;

    /// <summary>Bytes <see cref="Encode(Transaction, Span{byte})"/> writes: the whole envelope, type byte included.</summary>
    public static int GetEncodedLength(Transaction tx)
    {
        ArgumentNullException.ThrowIfNull(tx);
        return EnvelopeLength(tx, PayloadLength(tx, signed: true));
    }

    /// <summary>Writes the signed envelope to the start of <paramref name="destination"/>; returns its length.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="GetEncodedLength"/>.</exception>
    public static int Encode(Transaction tx, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(tx);
        int payloadLength = PayloadLength(tx, signed: true);
        int length = EnvelopeLength(tx, payloadLength);
        if (destination.Length < length) ThrowDestinationTooShort(nameof(destination), length, destination.Length);
        Write(tx, destination.Slice(0, length), payloadLength, signed: true);
        return length;
    }

    public static byte[] Encode(Transaction tx)
    {
        var encoded = new byte[GetEncodedLength(tx)];
        Encode(tx, encoded);
        return encoded;
    }

    /// <summary>Bytes of the signing payload (the preimage of <see cref="ComputeSigningHash"/>).</summary>
    public static int GetSigningPayloadLength(Transaction tx)
    {
        ArgumentNullException.ThrowIfNull(tx);
        return EnvelopeLength(tx, PayloadLength(tx, signed: false));
    }

    /// <summary>Writes the signing payload to the start of <paramref name="destination"/>; returns its length.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="GetSigningPayloadLength"/>.</exception>
    public static int EncodeSigningPayload(Transaction tx, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(tx);
        int payloadLength = PayloadLength(tx, signed: false);
        int length = EnvelopeLength(tx, payloadLength);
        if (destination.Length < length) ThrowDestinationTooShort(nameof(destination), length, destination.Length);
        Write(tx, destination.Slice(0, length), payloadLength, signed: false);
        return length;
    }

    /// <summary>The hash the sender signs: Keccak-256 of the signing payload.</summary>
    public static Hash256 ComputeSigningHash(Transaction tx)
    {
        ArgumentNullException.ThrowIfNull(tx);
        return HashOf(tx, PayloadLength(tx, signed: false), signed: false);
    }

    /// <summary>The transaction hash: Keccak-256 of the signed envelope (what the decoder sets from the raw bytes).</summary>
    public static Hash256 ComputeHash(Transaction tx)
    {
        ArgumentNullException.ThrowIfNull(tx);
        return HashOf(tx, PayloadLength(tx, signed: true), signed: true);
    }

    private static Hash256 HashOf(Transaction tx, int payloadLength, bool signed)
    {
        int length = EnvelopeLength(tx, payloadLength);
        byte[]? rented = null;
        Span<byte> buffer = length <= StackBufferMax
            ? stackalloc byte[StackBufferMax]
            : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            buffer = buffer.Slice(0, length);
            Write(tx, buffer, payloadLength, signed);
            return Keccak256.Compute(buffer);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static int EnvelopeLength(Transaction tx, int payloadLength) =>
        (tx.Type == TxType.Legacy ? 0 : 1) + RlpWriter.LengthOfList(payloadLength);

    /// <summary>Length of the list payload (the fields, without the list header).</summary>
    private static int PayloadLength(Transaction tx, bool signed)
    {
        int length = RlpWriter.LengthOfUInt64(tx.Nonce)
            + RlpWriter.LengthOfUInt64(tx.GasLimit)
            + (tx.To is null ? 1 : RlpWriter.LengthOfAddress)
            + RlpWriter.LengthOfUInt256(tx.Value)
            + RlpWriter.LengthOfString(tx.Data.Span);

        switch (tx.Type)
        {
            case TxType.Legacy:
                length += RlpWriter.LengthOfUInt256(tx.GasPrice);
                if (signed)
                {
                    length += RlpWriter.LengthOfUInt64(tx.V) + RlpWriter.LengthOfUInt256(tx.R) + RlpWriter.LengthOfUInt256(tx.S);
                }
                else if (tx.ChainId != 0)
                {
                    // EIP-155: chainId, then two zeros (each the empty string 0x80).
                    length += RlpWriter.LengthOfUInt64(tx.ChainId) + 2;
                }
                return length;
            case TxType.AccessList:
                length += RlpWriter.LengthOfUInt256(tx.GasPrice);
                break;
            case TxType.DynamicFee:
                length += RlpWriter.LengthOfUInt256(tx.MaxPriorityFeePerGas) + RlpWriter.LengthOfUInt256(tx.MaxFeePerGas);
                break;
            case TxType.MlDsa:
                length += RlpWriter.LengthOfUInt256(tx.MaxPriorityFeePerGas) + RlpWriter.LengthOfUInt256(tx.MaxFeePerGas)
                    + RlpWriter.LengthOfUInt64(tx.ChainId) + AccessListLength(tx.AccessList);
                return length + (signed
                    ? MlDsaKeyFieldLength(tx) + RlpWriter.LengthOfString(tx.MlDsaSignature.Span)
                    : RlpWriter.LengthOfHash);
            default:
                ThrowUnsupportedType(tx.Type);
                break;
        }

        length += RlpWriter.LengthOfUInt64(tx.ChainId) + AccessListLength(tx.AccessList);
        if (signed)
        {
            length += RlpWriter.LengthOfUInt64(tx.YParity) + RlpWriter.LengthOfUInt256(tx.R) + RlpWriter.LengthOfUInt256(tx.S);
        }
        return length;
    }

    private static int AccessListLength(AccessListEntry[] accessList)
    {
        int payload = 0;
        foreach (AccessListEntry entry in accessList) payload += RlpWriter.LengthOfList(AccessListEntryPayloadLength(entry));
        return RlpWriter.LengthOfList(payload);
    }

    private static int AccessListEntryPayloadLength(AccessListEntry entry) =>
        RlpWriter.LengthOfAddress + RlpWriter.LengthOfList(entry.StorageKeys.Length * RlpWriter.LengthOfHash);

    /// <summary>Writes exactly <paramref name="destination"/>.Length bytes (the envelope sized by the caller).</summary>
    private static void Write(Transaction tx, Span<byte> destination, int payloadLength, bool signed)
    {
        Span<byte> list = destination;
        if (tx.Type != TxType.Legacy)
        {
            destination[0] = (byte)tx.Type;
            list = destination.Slice(1);
        }

        var writer = new RlpWriter(list);
        writer.WriteListHeader(payloadLength);
        if (tx.Type != TxType.Legacy) writer.WriteUInt64(tx.ChainId);
        writer.WriteUInt64(tx.Nonce);
        if (tx.Type is TxType.DynamicFee or TxType.MlDsa)
        {
            writer.WriteUInt256(tx.MaxPriorityFeePerGas);
            writer.WriteUInt256(tx.MaxFeePerGas);
        }
        else
        {
            writer.WriteUInt256(tx.GasPrice);
        }
        writer.WriteUInt64(tx.GasLimit);
        if (tx.To is { } to) writer.WriteAddress(to);
        else writer.WriteEmptyString();
        writer.WriteUInt256(tx.Value);
        writer.WriteString(tx.Data.Span);

        if (tx.Type == TxType.Legacy)
        {
            if (signed)
            {
                writer.WriteUInt64(tx.V);
                writer.WriteUInt256(tx.R);
                writer.WriteUInt256(tx.S);
            }
            else if (tx.ChainId != 0)
            {
                writer.WriteUInt64(tx.ChainId);
                writer.WriteEmptyString();
                writer.WriteEmptyString();
            }
        }
        else if (tx.Type == TxType.MlDsa)
        {
            WriteAccessList(ref writer, tx.AccessList);
            if (signed)
            {
                if (tx.MlDsaKeyEmbedded) writer.WriteString(tx.MlDsaPublicKey.Span);
                else writer.WriteHash(tx.MlDsaKeyHash);
                writer.WriteString(tx.MlDsaSignature.Span);
            }
            else
            {
                writer.WriteHash(tx.MlDsaKeyHash);
            }
        }
        else
        {
            WriteAccessList(ref writer, tx.AccessList);
            if (signed)
            {
                writer.WriteUInt64(tx.YParity);
                writer.WriteUInt256(tx.R);
                writer.WriteUInt256(tx.S);
            }
        }

        // The lengths above and the writes here must describe the same fields; a mismatch would emit a malformed list.
        Invariant.Check(writer.RemainingLength == 0);
    }

    /// <summary>The envelope's key field: the public key when the transaction carries it, otherwise the key hash.</summary>
    private static int MlDsaKeyFieldLength(Transaction tx) =>
        tx.MlDsaKeyEmbedded ? RlpWriter.LengthOfString(tx.MlDsaPublicKey.Span) : RlpWriter.LengthOfHash;

    private static void WriteAccessList(ref RlpWriter writer, AccessListEntry[] accessList)
    {
        int payload = 0;
        foreach (AccessListEntry entry in accessList) payload += RlpWriter.LengthOfList(AccessListEntryPayloadLength(entry));
        writer.WriteListHeader(payload);
        foreach (AccessListEntry entry in accessList)
        {
            writer.WriteListHeader(AccessListEntryPayloadLength(entry));
            writer.WriteAddress(entry.Address);
            writer.WriteListHeader(entry.StorageKeys.Length * RlpWriter.LengthOfHash);
            foreach (Hash256 key in entry.StorageKeys) writer.WriteHash(key);
        }
    }

    [DoesNotReturn]
    private static void ThrowDestinationTooShort(string parameterName, int needed, int actual) =>
        throw new ArgumentException($"the encoding needs {needed} bytes, the destination has {actual}", parameterName);

    [DoesNotReturn]
    private static void ThrowUnsupportedType(TxType type) =>
        throw new ArgumentException($"transaction type {(byte)type} has no encoding here (legacy, 0x01, 0x02 and 0x4e only)", "tx");
}
