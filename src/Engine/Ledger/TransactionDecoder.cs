using System.Globalization;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.Primitives.Rlp;

namespace NexusFast.Engine.Ledger;

/// <summary>
/// Decodes a raw transaction as eth_sendRawTransaction and block bodies carry it (the EIP-2718 envelope): a legacy
/// RLP list of 9 fields, or a type byte followed by exactly one RLP list (EIP-2930: 11 fields, EIP-1559: 12, Nexus
/// ML-DSA: 11).
/// Strict: canonical RLP only (<see cref="RlpReader"/>), exact field counts and nothing after the list, because the
/// transaction hash is taken over these very bytes and one transaction must not have two encodings (two hashes).
/// </summary>
/// <remarks>
/// The Nexus ML-DSA transaction (type 0x4E, see docs/ml-dsa-transactions.md):
/// <code>
/// 0x4E || rlp([chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gasLimit, to, value, data, accessList, key, signature])
///   chainId .. accessList   exactly as EIP-1559 (integers canonical, to 20 bytes or empty)
///   key                     a byte string of 1,952 bytes (the ML-DSA-65 public key; its Keccak-256 is the key hash)
///                           or of 32 bytes (the key hash of a key the chain registered earlier)
///   signature               a byte string of 3,309 bytes (FIPS 204 ML-DSA-65 signature)
/// signing payload: 0x4E || rlp([chainId .. accessList, keyHash (32 bytes)]), message Keccak-256(payload),
/// context "nexus-tx-v1"
/// </code>
/// A key of any other length is <see cref="TxError.MlDsaKeyInvalid"/>, a signature of another length
/// <see cref="TxError.MlDsaSignatureMalformed"/>; whether the signature verifies is the sender recovery's business.
/// Allocates only the transaction's data (copied out of the input) and its access list. A rejected input leaves the
/// target transaction untouched; the detail then names the field, its offset in the input and what is wrong.
/// </remarks>
public static class TransactionDecoder
{
    private const byte StringPrefix = 0x80;
    private const byte ListPrefix = 0xC0;

    private const int LegacyFieldCount = 9;
    private const int AccessListFieldCount = 11;
    private const int DynamicFeeFieldCount = 12;
    private const int MlDsaFieldCount = 11;

    /// <summary>
    /// Decodes <paramref name="raw"/> into <paramref name="into"/>, setting every field including
    /// <see cref="Transaction.Hash"/> (Keccak-256 of <paramref name="raw"/>) and <see cref="Transaction.EncodedLength"/>,
    /// and clearing the sender. <paramref name="detail"/> is empty on success.
    /// </summary>
    public static TxError TryDecode(ReadOnlySpan<byte> raw, Transaction into, out string detail)
    {
        ArgumentNullException.ThrowIfNull(into);
        if (raw.IsEmpty)
        {
            detail = "rlp: empty input: a transaction is an RLP list (legacy) or a type byte followed by one";
            return TxError.RlpInvalid;
        }

        byte first = raw[0];
        if (first >= ListPrefix) return DecodeLegacy(raw, into, out detail);
        if (first == (byte)TxType.AccessList) return DecodeAccessList(raw, into, out detail);
        if (first == (byte)TxType.DynamicFee) return DecodeDynamicFee(raw, into, out detail);
        if (first == (byte)TxType.MlDsa) return DecodeMlDsa(raw, into, out detail);
        if (first < StringPrefix)
        {
            // EIP-2718 reserves 0x00..0x7f for types; 0x03 (EIP-4844 blobs) and 0x04 (EIP-7702) are not accepted here.
            detail = $"{TxErrorText.Describe(TxError.TypeNotSupported)}: type 0x{first:x2} (this chain accepts legacy, 0x01 EIP-2930, 0x02 EIP-1559 and 0x4e ML-DSA transactions)";
            return TxError.TypeNotSupported;
        }
        return RejectByteString(raw, out detail);
    }

    /// <summary>
    /// A first byte of 0x80..0xbf starts an RLP byte string: neither a legacy list nor a type byte. A malformed string
    /// header is reported as the RLP error it is; a well-formed string as an unsupported type (ethereum/tests
    /// ttWrongRLP/RLPTransactionGivenAsArray and aCrashingRLP: TYPE_NOT_SUPPORTED; aMaliciousRLP, a lone 0xb8: RLP_ERROR_EOF).
    /// </summary>
    private static TxError RejectByteString(ReadOnlySpan<byte> raw, out string detail)
    {
        var reader = new RlpReader(raw);
        RlpError error = reader.TryReadString(out ReadOnlySpan<byte> payload);
        if (error != RlpError.None)
        {
            detail = RlpDetail("transaction envelope", 0, error);
            return TxError.RlpInvalid;
        }
        detail = $"{TxErrorText.Describe(TxError.TypeNotSupported)}: the input is an RLP byte string of {payload.Length} bytes, neither a legacy transaction list nor an EIP-2718 type byte";
        return TxError.TypeNotSupported;
    }

    private static TxError DecodeLegacy(ReadOnlySpan<byte> raw, Transaction into, out string detail)
    {
        var fields = new FieldReader(raw, 0, "legacy", LegacyFieldCount);
        ulong nonce = fields.UInt64("nonce", TxError.NonceOverflow);
        UInt256 gasPrice = fields.UInt256("gasPrice", TxError.GasPriceOverflow);
        ulong gasLimit = fields.UInt64("gasLimit", TxError.GasLimitOverflow);
        Address? to = fields.To();
        UInt256 value = fields.UInt256("value", TxError.ValueOverflow);
        ReadOnlySpan<byte> data = fields.Data();
        ulong v = fields.UInt64("v", TxError.InvalidChainId);
        UInt256 r = fields.UInt256("r", TxError.InvalidSignature);
        UInt256 s = fields.UInt256("s", TxError.InvalidSignature);
        fields.Finish();
        if (fields.Error != TxError.None)
        {
            detail = fields.Detail;
            return fields.Error;
        }

        TxError vError = TransactionRules.InterpretLegacyV(v, out ulong chainId, out byte yParity);
        if (vError != TxError.None)
        {
            detail = vError == TxError.InvalidSignature
                ? $"{TxErrorText.Describe(vError)}: legacy v is {v}; it must be 27/28 or 35 + 2 * chainId + yParity (EIP-155)"
                : $"{TxErrorText.Describe(vError)}: legacy v {v} is neither 27/28 nor 35 + 2 * chainId + yParity with a chain id of at least 1 (EIP-155)";
            return vError;
        }

        into.Type = TxType.Legacy;
        into.ChainId = chainId;
        into.GasPrice = gasPrice;
        into.V = v;
        into.YParity = yParity;
        into.AccessList = AccessListEntry.None;
        Commit(into, raw, nonce, gasLimit, to, value, data, r, s);
        detail = string.Empty;
        return TxError.None;
    }

    private static TxError DecodeAccessList(ReadOnlySpan<byte> raw, Transaction into, out string detail)
    {
        var fields = new FieldReader(raw.Slice(1), 1, "EIP-2930", AccessListFieldCount);
        ulong chainId = fields.UInt64("chainId", TxError.ChainIdOverflow);
        ulong nonce = fields.UInt64("nonce", TxError.NonceOverflow);
        UInt256 gasPrice = fields.UInt256("gasPrice", TxError.GasPriceOverflow);
        ulong gasLimit = fields.UInt64("gasLimit", TxError.GasLimitOverflow);
        Address? to = fields.To();
        UInt256 value = fields.UInt256("value", TxError.ValueOverflow);
        ReadOnlySpan<byte> data = fields.Data();
        RlpReader accessList = fields.AccessList(out int entryCount);
        byte yParity = fields.YParity();
        UInt256 r = fields.UInt256("r", TxError.InvalidSignature);
        UInt256 s = fields.UInt256("s", TxError.InvalidSignature);
        fields.Finish();
        if (fields.Error != TxError.None)
        {
            detail = fields.Detail;
            return fields.Error;
        }

        into.Type = TxType.AccessList;
        into.ChainId = chainId;
        into.GasPrice = gasPrice;
        into.V = yParity;
        into.YParity = yParity;
        into.AccessList = BuildAccessList(accessList, entryCount);
        Commit(into, raw, nonce, gasLimit, to, value, data, r, s);
        detail = string.Empty;
        return TxError.None;
    }

    private static TxError DecodeDynamicFee(ReadOnlySpan<byte> raw, Transaction into, out string detail)
    {
        var fields = new FieldReader(raw.Slice(1), 1, "EIP-1559", DynamicFeeFieldCount);
        ulong chainId = fields.UInt64("chainId", TxError.ChainIdOverflow);
        ulong nonce = fields.UInt64("nonce", TxError.NonceOverflow);
        UInt256 maxPriorityFeePerGas = fields.UInt256("maxPriorityFeePerGas", TxError.PriorityOverflow);
        UInt256 maxFeePerGas = fields.UInt256("maxFeePerGas", TxError.GasPriceOverflow);
        ulong gasLimit = fields.UInt64("gasLimit", TxError.GasLimitOverflow);
        Address? to = fields.To();
        UInt256 value = fields.UInt256("value", TxError.ValueOverflow);
        ReadOnlySpan<byte> data = fields.Data();
        RlpReader accessList = fields.AccessList(out int entryCount);
        byte yParity = fields.YParity();
        UInt256 r = fields.UInt256("r", TxError.InvalidSignature);
        UInt256 s = fields.UInt256("s", TxError.InvalidSignature);
        fields.Finish();
        if (fields.Error != TxError.None)
        {
            detail = fields.Detail;
            return fields.Error;
        }

        into.Type = TxType.DynamicFee;
        into.ChainId = chainId;
        into.MaxPriorityFeePerGas = maxPriorityFeePerGas;
        into.MaxFeePerGas = maxFeePerGas;
        into.V = yParity;
        into.YParity = yParity;
        into.AccessList = BuildAccessList(accessList, entryCount);
        Commit(into, raw, nonce, gasLimit, to, value, data, r, s);
        detail = string.Empty;
        return TxError.None;
    }

    private static TxError DecodeMlDsa(ReadOnlySpan<byte> raw, Transaction into, out string detail)
    {
        var fields = new FieldReader(raw.Slice(1), 1, "ML-DSA", MlDsaFieldCount);
        ulong chainId = fields.UInt64("chainId", TxError.ChainIdOverflow);
        ulong nonce = fields.UInt64("nonce", TxError.NonceOverflow);
        UInt256 maxPriorityFeePerGas = fields.UInt256("maxPriorityFeePerGas", TxError.PriorityOverflow);
        UInt256 maxFeePerGas = fields.UInt256("maxFeePerGas", TxError.GasPriceOverflow);
        ulong gasLimit = fields.UInt64("gasLimit", TxError.GasLimitOverflow);
        Address? to = fields.To();
        UInt256 value = fields.UInt256("value", TxError.ValueOverflow);
        ReadOnlySpan<byte> data = fields.Data();
        RlpReader accessList = fields.AccessList(out int entryCount);
        ReadOnlySpan<byte> key = fields.MlDsaKey();
        ReadOnlySpan<byte> signature = fields.MlDsaSignature();
        fields.Finish();
        if (fields.Error != TxError.None)
        {
            detail = fields.Detail;
            return fields.Error;
        }

        into.Type = TxType.MlDsa;
        into.ChainId = chainId;
        into.MaxPriorityFeePerGas = maxPriorityFeePerGas;
        into.MaxFeePerGas = maxFeePerGas;
        into.V = 0;
        into.YParity = 0;
        into.AccessList = BuildAccessList(accessList, entryCount);
        into.MlDsaKeyEmbedded = key.Length == MlDsaTransactions.PublicKeySize;
        if (into.MlDsaKeyEmbedded)
        {
            into.MlDsaPublicKey = key.ToArray();
            into.MlDsaKeyHash = Keccak256.Compute(key);
        }
        else
        {
            into.MlDsaPublicKey = ReadOnlyMemory<byte>.Empty;
            into.MlDsaKeyHash = new Hash256(key);
        }
        into.MlDsaSignature = signature.ToArray();
        Commit(into, raw, nonce, gasLimit, to, value, data, default, default);
        detail = string.Empty;
        return TxError.None;
    }

    /// <summary>Sets the fields every type shares, once the whole input has been accepted.</summary>
    private static void Commit(
        Transaction into, ReadOnlySpan<byte> raw, ulong nonce, ulong gasLimit, Address? to, in UInt256 value,
        ReadOnlySpan<byte> data, in UInt256 r, in UInt256 s)
    {
        into.Nonce = nonce;
        into.GasLimit = gasLimit;
        into.To = to;
        into.Value = value;
        into.Data = data.IsEmpty ? ReadOnlyMemory<byte>.Empty : data.ToArray();
        into.R = r;
        into.S = s;
        if (into.Type != TxType.MlDsa)
        {
            into.MlDsaKeyHash = default;
            into.MlDsaPublicKey = ReadOnlyMemory<byte>.Empty;
            into.MlDsaKeyEmbedded = false;
            into.MlDsaSignature = ReadOnlyMemory<byte>.Empty;
        }
        into.Hash = Keccak256.Compute(raw);
        into.EncodedLength = raw.Length;
        into.Sender = default;
        into.HasSender = false;
    }

    /// <summary>Second pass over an access list <see cref="FieldReader.AccessList"/> has already validated.</summary>
    private static AccessListEntry[] BuildAccessList(RlpReader list, int entryCount)
    {
        if (entryCount == 0) return AccessListEntry.None;
        var entries = new AccessListEntry[entryCount];
        for (int i = 0; i < entries.Length; i++)
        {
            RlpReader entry = list.ReadList();
            Address address = entry.ReadAddress();
            RlpReader keys = entry.ReadList();
            // Validated: every key is 0xa0 and 32 bytes.
            Hash256[] storageKeys = keys.RemainingLength == 0 ? [] : new Hash256[keys.RemainingLength / RlpWriter.LengthOfHash];
            for (int k = 0; k < storageKeys.Length; k++) storageKeys[k] = keys.ReadHash();
            entries[i] = new AccessListEntry(address, storageKeys);
        }
        return entries;
    }

    private static string RlpDetail(string field, int offset, RlpError error) =>
        $"rlp: invalid {field} at offset {offset}: {RlpException.Describe(error)}";

    /// <summary>
    /// Reads a transaction's fields in order and keeps the first error: after one, every read returns a default and
    /// changes nothing, so the decoders read straight through and check <see cref="Error"/> once at the end.
    /// </summary>
    private ref struct FieldReader
    {
        private readonly int _envelopeOffset;
        private readonly string _kind;
        private readonly int _fieldCount;
        private readonly bool _hasList;

        // The list's items from the first: counted only after an error (see Finish).
        private readonly RlpReader _start;
        private RlpReader _fields;
        private int _fieldsRead;

        /// <param name="rlp">The RLP list (for a typed transaction, what follows the type byte).</param>
        /// <param name="envelopeOffset">Where <paramref name="rlp"/> starts in the raw input, for the offsets reported.</param>
        public FieldReader(ReadOnlySpan<byte> rlp, int envelopeOffset, string kind, int fieldCount)
        {
            _envelopeOffset = envelopeOffset;
            _kind = kind;
            _fieldCount = fieldCount;
            _fieldsRead = 0;
            Error = TxError.None;
            Detail = string.Empty;

            var outer = new RlpReader(rlp);
            RlpError error = outer.TryReadList(out _fields);
            _start = _fields;
            _hasList = error == RlpError.None;
            if (error != RlpError.None)
            {
                Fail(TxError.RlpInvalid, RlpDetail($"{kind} transaction list", envelopeOffset, error));
            }
            else if (!outer.IsEnd)
            {
                Fail(TxError.RlpInvalid, $"rlp: unexpected bytes after the {kind} transaction list: {outer.RemainingLength} from offset {outer.Position + envelopeOffset}");
            }
        }

        public TxError Error { get; private set; }

        public string Detail { get; private set; }

        public ulong UInt64(string field, TxError overflow)
        {
            if (!BeginField(out int at)) return 0;
            RlpError error = _fields.TryReadUInt64(out ulong value);
            if (error == RlpError.None) return value;
            FailInteger(field, at, error, overflow, 64);
            return 0;
        }

        public UInt256 UInt256(string field, TxError overflow)
        {
            if (!BeginField(out int at)) return default;
            RlpError error = _fields.TryReadUInt256(out UInt256 value);
            if (error == RlpError.None) return value;
            FailInteger(field, at, error, overflow, 256);
            return default;
        }

        /// <summary>The recipient: empty for contract creation, otherwise exactly 20 bytes.</summary>
        public Address? To()
        {
            if (!BeginField(out int at)) return null;
            RlpError error = _fields.TryReadString(out ReadOnlySpan<byte> to);
            if (error != RlpError.None)
            {
                Fail(TxError.RlpInvalid, RlpDetail("to", at, error));
                return null;
            }
            if (to.IsEmpty) return null;
            if (to.Length != Address.Size)
            {
                Fail(TxError.RlpInvalid, $"rlp: to at offset {at} has {to.Length} bytes: a recipient is 20 bytes, or empty for contract creation");
                return null;
            }
            return new Address(to);
        }

        /// <summary>The call data or init code, a slice of the input.</summary>
        public ReadOnlySpan<byte> Data()
        {
            if (!BeginField(out int at)) return default;
            RlpError error = _fields.TryReadString(out ReadOnlySpan<byte> data);
            if (error == RlpError.None) return data;
            Fail(TxError.RlpInvalid, RlpDetail("data", at, error));
            return default;
        }

        /// <summary>The ML-DSA key field: the 1,952-byte public key or a 32-byte key hash.</summary>
        public ReadOnlySpan<byte> MlDsaKey()
        {
            if (!BeginField(out int at)) return default;
            RlpError error = _fields.TryReadString(out ReadOnlySpan<byte> key);
            if (error != RlpError.None)
            {
                Fail(TxError.RlpInvalid, RlpDetail("key", at, error));
                return default;
            }
            if (key.Length != MlDsaTransactions.PublicKeySize && key.Length != MlDsaTransactions.KeyHashSize)
            {
                Fail(TxError.MlDsaKeyInvalid, $"{TxErrorText.Describe(TxError.MlDsaKeyInvalid)}: key at offset {at} has {key.Length} bytes; it must be the {MlDsaTransactions.PublicKeySize}-byte ML-DSA-65 public key or the {MlDsaTransactions.KeyHashSize}-byte hash of a registered one");
                return default;
            }
            return key;
        }

        /// <summary>The ML-DSA-65 signature: exactly 3,309 bytes.</summary>
        public ReadOnlySpan<byte> MlDsaSignature()
        {
            if (!BeginField(out int at)) return default;
            RlpError error = _fields.TryReadString(out ReadOnlySpan<byte> signature);
            if (error != RlpError.None)
            {
                Fail(TxError.RlpInvalid, RlpDetail("signature", at, error));
                return default;
            }
            if (signature.Length != MlDsaTransactions.SignatureSize)
            {
                Fail(TxError.MlDsaSignatureMalformed, $"{TxErrorText.Describe(TxError.MlDsaSignatureMalformed)}: signature at offset {at} has {signature.Length} bytes, an ML-DSA-65 signature has {MlDsaTransactions.SignatureSize}");
                return default;
            }
            return signature;
        }

        /// <summary>The EIP-2930 signature parity: an RLP integer that is 0 or 1.</summary>
        public byte YParity()
        {
            if (!BeginField(out int at)) return 0;
            RlpError error = _fields.TryReadUInt64(out ulong value);
            if (error != RlpError.None)
            {
                FailInteger("yParity", at, error, TxError.InvalidSignature, 64);
                return 0;
            }
            if (value > 1)
            {
                Fail(TxError.InvalidSignature, $"{TxErrorText.Describe(TxError.InvalidSignature)}: yParity at offset {at} is {value}, it must be 0 or 1");
                return 0;
            }
            return (byte)value;
        }

        /// <summary>
        /// Validates an EIP-2930 access list, a list of [address (20 bytes), [storage key (32 bytes), ...]], and returns
        /// a reader over it, unread, for <see cref="BuildAccessList"/>.
        /// </summary>
        public RlpReader AccessList(out int entryCount)
        {
            entryCount = 0;
            if (!BeginField(out int at)) return default;
            RlpError error = _fields.TryReadList(out RlpReader list);
            if (error != RlpError.None)
            {
                Fail(TxError.RlpInvalid, RlpDetail("accessList", at, error));
                return default;
            }

            RlpReader entries = list;
            int count = 0;
            while (!entries.IsEnd)
            {
                if (!TryValidateAccessListEntry(ref entries, count)) return default;
                count++;
            }
            entryCount = count;
            return list;
        }

        private bool TryValidateAccessListEntry(ref RlpReader entries, int index)
        {
            int at = entries.Position + _envelopeOffset;
            RlpError error = entries.TryReadList(out RlpReader entry);
            if (error != RlpError.None)
            {
                Fail(TxError.RlpInvalid, RlpDetail($"accessList[{index}] (an [address, storageKeys] list)", at, error));
                return false;
            }

            int itemsRead = 0;
            at = entry.Position + _envelopeOffset;
            if (!entry.IsEnd)
            {
                error = entry.TryReadString(out ReadOnlySpan<byte> address);
                if (error != RlpError.None)
                {
                    Fail(TxError.RlpInvalid, RlpDetail($"accessList[{index}].address", at, error));
                    return false;
                }
                if (address.Length != Address.Size)
                {
                    Fail(TxError.RlpInvalid, $"rlp: accessList[{index}].address at offset {at} has {address.Length} bytes, an address has 20");
                    return false;
                }
                itemsRead++;
            }

            at = entry.Position + _envelopeOffset;
            if (!entry.IsEnd)
            {
                error = entry.TryReadList(out RlpReader keys);
                if (error != RlpError.None)
                {
                    Fail(TxError.RlpInvalid, RlpDetail($"accessList[{index}].storageKeys", at, error));
                    return false;
                }
                for (int k = 0; !keys.IsEnd; k++)
                {
                    at = keys.Position + _envelopeOffset;
                    error = keys.TryReadString(out ReadOnlySpan<byte> key);
                    if (error != RlpError.None)
                    {
                        Fail(TxError.RlpInvalid, RlpDetail($"accessList[{index}].storageKeys[{k}]", at, error));
                        return false;
                    }
                    if (key.Length != Hash256.Size)
                    {
                        Fail(TxError.RlpInvalid, $"rlp: accessList[{index}].storageKeys[{k}] at offset {at} has {key.Length} bytes, a storage key has 32");
                        return false;
                    }
                }
                itemsRead++;
            }

            if (itemsRead < 2 || !entry.IsEnd)
            {
                string found = itemsRead < 2 ? itemsRead.ToString(CultureInfo.InvariantCulture) : "more than 2";
                Fail(TxError.RlpInvalid, $"rlp: accessList[{index}] has {found} items, an entry is [address, storageKeys]");
                return false;
            }
            return true;
        }

        /// <summary>
        /// Checks the field count. Called after the last field: on success it rejects extra fields; after a field error
        /// it replaces that error with a wrong count when the list is well formed but has too few or too many items,
        /// which explains the field error (fields shifted by a missing one: ttSignature/TransactionWithTooFewRLPElements).
        /// Counting only here keeps the success path at one pass.
        /// </summary>
        public void Finish()
        {
            if (!_hasList || (Error == TxError.None && _fields.IsEnd)) return;

            int count = CountItems(out bool wellFormed);
            if (Error == TxError.None)
            {
                // Items remain after the last field, well formed or not.
                string found = wellFormed ? count.ToString(CultureInfo.InvariantCulture) : $"more than {_fieldCount}";
                Fail(TxError.RlpInvalid, $"rlp: too many fields: a {_kind} transaction has {_fieldCount}, this list has {found}");
                return;
            }

            // Malformed items, or the right count: the field error stands.
            if (!wellFormed || count == _fieldCount) return;
            Error = TxError.RlpInvalid;
            Detail = count < _fieldCount
                ? $"rlp: too few fields: a {_kind} transaction has {_fieldCount}, this list has {count}"
                : $"rlp: too many fields: a {_kind} transaction has {_fieldCount}, this list has {count}";
        }

        /// <summary>Items in the list; <paramref name="wellFormed"/> is false when one does not parse.</summary>
        private readonly int CountItems(out bool wellFormed)
        {
            RlpReader items = _start;
            int count = 0;
            while (!items.IsEnd && items.TrySkip() == RlpError.None) count++;
            wellFormed = items.IsEnd;
            return count;
        }

        /// <summary>False when an earlier field failed or the list has run out of fields.</summary>
        private bool BeginField(out int at)
        {
            at = _fields.Position + _envelopeOffset;
            if (Error != TxError.None) return false;
            if (_fields.IsEnd)
            {
                Fail(TxError.RlpInvalid, $"rlp: too few fields: a {_kind} transaction has {_fieldCount}, this list ends after {_fieldsRead} (offset {at})");
                return false;
            }
            _fieldsRead++;
            return true;
        }

        private void FailInteger(string field, int at, RlpError error, TxError overflow, int bits)
        {
            if (error != RlpError.IntegerTooLarge)
            {
                Fail(TxError.RlpInvalid, RlpDetail(field, at, error));
                return;
            }

            // The header was sound (the integer check comes after it), so the item reads as a string.
            RlpReader probe = _fields;
            probe.TryReadString(out ReadOnlySpan<byte> bytes);
            Fail(overflow, $"{TxErrorText.Describe(overflow)}: {field} at offset {at} has {bytes.Length} bytes, more than {bits} bits");
        }

        private void Fail(TxError error, string detail)
        {
            if (Error != TxError.None) return;
            Error = error;
            Detail = detail;
        }
    }
}
