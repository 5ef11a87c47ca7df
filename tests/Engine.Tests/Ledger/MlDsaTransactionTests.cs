using NexusFast.Engine.Crypto;
using NexusFast.Engine.Crypto.MlDsa;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.Primitives.Rlp;
using static NexusFast.Engine.Tests.Ledger.MlDsaFixtures;

namespace NexusFast.Engine.Tests.Ledger;

public class MlDsaTransactionTests
{
    private static readonly Address s_bob = Address.Parse("0x00000000000000000000000000000000000000b0");
    private static readonly ChainConfig s_config = new() { ChainId = ChainId };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Both_key_forms_round_trip_through_the_decoder_and_encode_to_the_same_bytes(bool embedKey)
    {
        Transaction signed = Signed(Key(1), 7, s_bob, 12345, embedKey, data: [0, 1, 2, 0xff]);
        byte[] raw = TransactionEncoder.Encode(signed);

        var decoded = new Transaction();
        Assert.Equal(TxError.None, TransactionDecoder.TryDecode(raw, decoded, out string detail));
        Assert.Equal(string.Empty, detail);

        Assert.Equal((byte)0x4E, raw[0]);
        Assert.Equal(TxType.MlDsa, decoded.Type);
        Assert.Equal(ChainId, decoded.ChainId);
        Assert.Equal(7UL, decoded.Nonce);
        Assert.Equal(signed.MaxFeePerGas, decoded.MaxFeePerGas);
        Assert.Equal(signed.MaxPriorityFeePerGas, decoded.MaxPriorityFeePerGas);
        Assert.Equal(s_bob, decoded.To);
        Assert.Equal(new UInt256(12345), decoded.Value);
        Assert.Equal(new byte[] { 0, 1, 2, 0xff }, decoded.Data.ToArray());
        Assert.Equal(embedKey, decoded.MlDsaKeyEmbedded);
        Assert.Equal(Key(1).KeyHash, decoded.MlDsaKeyHash);
        Assert.Equal(embedKey ? Key(1).PublicKey : [], decoded.MlDsaPublicKey.ToArray());
        Assert.Equal(signed.MlDsaSignature.ToArray(), decoded.MlDsaSignature.ToArray());
        Assert.Equal(Keccak256.Compute(raw), decoded.Hash);
        Assert.Equal(signed.Hash, decoded.Hash);
        Assert.Equal(raw.Length, decoded.EncodedLength);
        Assert.False(decoded.HasSender);
        Assert.Equal(raw, TransactionEncoder.Encode(decoded));
        // 5,316 bytes of fields (1,955 of them the key, 3,312 the signature) in a 3-byte list header, after the type.
        Assert.Equal(embedKey ? 5_320 : 3_398, raw.Length);
    }

    [Fact]
    public void The_signing_hash_covers_the_type_and_the_key_hash_and_is_the_same_for_both_key_forms()
    {
        Transaction embedded = Signed(Key(1), 0, s_bob, 1, embedKey: true);
        Transaction hashOnly = Signed(Key(1), 0, s_bob, 1, embedKey: false);
        Hash256 signingHash = TransactionEncoder.ComputeSigningHash(embedded);
        Assert.Equal(signingHash, TransactionEncoder.ComputeSigningHash(hashOnly));
        Assert.NotEqual(embedded.Hash, hashOnly.Hash);

        var payload = new byte[TransactionEncoder.GetSigningPayloadLength(embedded)];
        TransactionEncoder.EncodeSigningPayload(embedded, payload);
        Assert.Equal((byte)0x4E, payload[0]);
        Assert.Equal(Keccak256.Compute(payload), signingHash);
        // The last field is the key hash: 0xa0 then its 32 bytes.
        Assert.Equal(0xa0, payload[^33]);
        Assert.Equal(Key(1).KeyHash.ToArray(), payload[^32..]);

        // The same fields as an EIP-1559 transaction (type 0x02) sign a different hash.
        Transaction eip1559 = Unsigned(0, s_bob, 1);
        eip1559.Type = TxType.DynamicFee;
        Assert.NotEqual(signingHash, TransactionEncoder.ComputeSigningHash(eip1559));

        // Another key changes the signed payload even with every other field equal.
        Transaction otherKey = Signed(Key(2), 0, s_bob, 1, embedKey: true);
        Assert.NotEqual(signingHash, TransactionEncoder.ComputeSigningHash(otherKey));
    }

    [Fact]
    public void The_signature_is_bound_to_the_nexus_context_string()
    {
        Transaction tx = Signed(Key(1), 0, s_bob, 1, embedKey: true);
        Hash256 signingHash = TransactionEncoder.ComputeSigningHash(tx);
        MlDsaParameters p = MlDsaParameters.MlDsa65;
        Assert.True(MlDsaScheme.Verify(p, Key(1).PublicKey, signingHash.Bytes, "nexus-tx-v1"u8, tx.MlDsaSignature.Span));
        Assert.False(MlDsaScheme.Verify(p, Key(1).PublicKey, signingHash.Bytes, [], tx.MlDsaSignature.Span));
        Assert.False(MlDsaScheme.Verify(p, Key(1).PublicKey, signingHash.Bytes, "nexus-tx-v2"u8, tx.MlDsaSignature.Span));
    }

    [Fact]
    public void A_valid_signature_recovers_the_domain_separated_address()
    {
        var tx = new Transaction();
        Assert.Equal(TxError.None, TransactionDecoder.TryDecode(SignedRaw(Key(3), 0, s_bob, 1, embedKey: true), tx, out _));
        Assert.Equal(TxError.None, SenderRecovery.RecoverSender(tx));
        Assert.True(tx.HasSender);

        byte[] preimage = [.. "nexus/ml-dsa-65/address/v1:"u8.ToArray(), .. Key(3).PublicKey];
        Hash256 digest = Keccak256.Compute(preimage);
        Assert.Equal(new Address(digest.Bytes[12..]), tx.Sender);
        Assert.Equal(Key(3).Address, tx.Sender);
        // Without the prefix (the ECDSA rule applied to these bytes) the address would differ.
        Assert.NotEqual(new Address(Keccak256.Compute(Key(3).PublicKey).Bytes[12..]), tx.Sender);
        Assert.NotEqual(Key(4).Address, Key(3).Address);
    }

    [Theory]
    [InlineData("signature", 0)]
    [InlineData("signature", 1700)]
    [InlineData("signature", 3308)]
    [InlineData("value", 0)]
    [InlineData("public key", 100)]
    public void A_flipped_bit_is_refused_and_leaves_no_sender(string where, int offset)
    {
        Transaction tx = Signed(Key(1), 0, s_bob, 1, embedKey: true);
        switch (where)
        {
            case "signature":
                byte[] signature = tx.MlDsaSignature.ToArray();
                signature[offset] ^= 0x10;
                tx.MlDsaSignature = signature;
                break;
            case "value":
                tx.Value = new UInt256(3);
                break;
            default:
                byte[] key = tx.MlDsaPublicKey.ToArray();
                key[offset] ^= 0x01;
                tx.MlDsaPublicKey = key;
                tx.MlDsaKeyHash = MlDsaTransactions.ComputeKeyHash(key);
                break;
        }
        var decoded = new Transaction();
        Assert.Equal(TxError.None, TransactionDecoder.TryDecode(TransactionEncoder.Encode(tx), decoded, out _));

        Assert.Equal(TxError.MlDsaSignatureInvalid, SenderRecovery.RecoverSender(decoded));
        Assert.False(decoded.HasSender);
        Assert.Equal(default, decoded.Sender);
        Assert.Contains("does not verify", TransactionValidator.DescribeRejection(TxError.MlDsaSignatureInvalid, decoded, s_config));
    }

    [Fact]
    public void A_signature_under_another_key_than_the_one_the_key_hash_names_is_refused()
    {
        // Signed by key 2 over a payload naming key 1's hash: valid under key 2, but key 2 is not the named key.
        Transaction tx = Unsigned(0, s_bob, 1);
        MlDsaTransactionSigner.Sign(tx, Key(2).SecretKey, Key(2).PublicKey, embedPublicKey: false, deterministic: true);
        tx.MlDsaKeyHash = Key(1).KeyHash;
        byte[] signature = new byte[MlDsaTransactions.SignatureSize];
        MlDsaScheme.SignDeterministic(MlDsaParameters.MlDsa65, Key(2).SecretKey, TransactionEncoder.ComputeSigningHash(tx).Bytes, "nexus-tx-v1"u8, signature);
        tx.MlDsaSignature = signature;

        Assert.Equal(TxError.MlDsaKeyInvalid, SenderRecovery.RecoverSender(tx));
        Assert.False(tx.HasSender);
        Assert.Contains("does not hash to the transaction's key hash", TransactionValidator.DescribeRejection(TxError.MlDsaKeyInvalid, tx, s_config));
    }

    [Fact]
    public void A_key_hash_transaction_without_a_known_key_is_refused_as_unregistered()
    {
        var tx = new Transaction();
        Assert.Equal(TxError.None, TransactionDecoder.TryDecode(SignedRaw(Key(1), 0, s_bob, 1, embedKey: false), tx, out _));
        Assert.Equal(TxError.MlDsaKeyNotRegistered, SenderRecovery.RecoverSender(tx));
        Assert.Equal(TxError.MlDsaKeyNotRegistered, new SenderRecovery().Recover(tx));
        string detail = TransactionValidator.DescribeRejection(TxError.MlDsaKeyNotRegistered, tx, s_config);
        Assert.Contains(Key(1).KeyHash.ToString(), detail);
        Assert.Contains("must carry its full public key", detail);
    }

    [Fact]
    public void A_recovery_instance_resolves_a_key_hash_it_has_seen_and_reuses_the_expanded_key()
    {
        var recovery = new SenderRecovery();
        var first = new Transaction();
        TransactionDecoder.TryDecode(SignedRaw(Key(5), 0, s_bob, 1, embedKey: true), first, out _);
        Assert.Equal(TxError.None, recovery.Recover(first));
        Assert.Equal(1, recovery.CachedMlDsaKeys);

        var second = new Transaction();
        TransactionDecoder.TryDecode(SignedRaw(Key(5), 1, s_bob, 1, embedKey: false), second, out _);
        Assert.Equal(TxError.None, recovery.Recover(second));
        Assert.Equal(Key(5).Address, second.Sender);
        Assert.Equal(Key(5).PublicKey, second.MlDsaPublicKey.ToArray());
        Assert.Equal(1, recovery.MlDsaExpandedKeyHits);
    }

    public static TheoryData<string, TxError, string> Malformed => new()
    {
        { "key of 33 bytes", TxError.MlDsaKeyInvalid, "has 33 bytes" },
        { "key of 1951 bytes", TxError.MlDsaKeyInvalid, "has 1951 bytes" },
        { "empty key", TxError.MlDsaKeyInvalid, "has 0 bytes" },
        { "key as a list", TxError.RlpInvalid, "rlp: invalid key at offset" },
        { "signature of 3308 bytes", TxError.MlDsaSignatureMalformed, "has 3308 bytes" },
        { "signature of 64 bytes", TxError.MlDsaSignatureMalformed, "has 64 bytes" },
        { "without the signature", TxError.RlpInvalid, "too few fields: a ML-DSA transaction has 11, this list has 10" },
        { "a twelfth field", TxError.RlpInvalid, "too many fields: a ML-DSA transaction has 11, this list has 12" },
        { "trailing byte", TxError.RlpInvalid, "unexpected bytes after the ML-DSA transaction list" },
        { "ECDSA signature fields", TxError.RlpInvalid, "too many fields" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_envelopes_get_a_precise_error_and_leave_the_target_untouched(string defect, TxError expected, string detailPart)
    {
        byte[] valid = SignedRaw(Key(1), 0, s_bob, 1, embedKey: false);
        List<byte[]> items = Items(valid);
        byte[] raw;
        switch (defect)
        {
            case "key of 33 bytes": items[9] = RlpString(new byte[33]); raw = Envelope(items); break;
            case "key of 1951 bytes": items[9] = RlpString(new byte[1951]); raw = Envelope(items); break;
            case "empty key": items[9] = [0x80]; raw = Envelope(items); break;
            case "key as a list": items[9] = [0xc0]; raw = Envelope(items); break;
            case "signature of 3308 bytes": items[10] = RlpString(new byte[3308]); raw = Envelope(items); break;
            case "signature of 64 bytes": items[10] = RlpString(new byte[64]); raw = Envelope(items); break;
            case "without the signature": items.RemoveAt(10); raw = Envelope(items); break;
            case "a twelfth field": items.Add([0x01]); raw = Envelope(items); break;
            case "trailing byte": raw = [.. valid, 0x00]; break;
            default:
                // yParity, r, s in place of key and signature, as an EIP-1559 list would have them.
                items.RemoveRange(9, 2);
                items.AddRange([[0x01], RlpString(new byte[32]), RlpString(new byte[32])]);
                raw = Envelope(items);
                break;
        }

        var target = new Transaction { Nonce = 99 };
        TxError error = TransactionDecoder.TryDecode(raw, target, out string detail);
        Assert.Equal(expected, error);
        Assert.Contains(detailPart, detail);
        Assert.Equal(99UL, target.Nonce);
        Assert.Equal(TxType.Legacy, target.Type);
    }

    [Fact]
    public void Intrinsic_gas_charges_signature_bytes_verification_and_a_carried_key()
    {
        Transaction hashOnly = Signed(Key(1), 0, s_bob, 1, embedKey: false);
        Transaction embedded = Signed(Key(1), 0, s_bob, 1, embedKey: true);
        Assert.Equal(21_000UL + (3_309 * 16) + 6_000, IntrinsicGas.Compute(hashOnly));
        Assert.Equal(79_944UL, IntrinsicGas.Compute(hashOnly));
        Assert.Equal(79_944UL + (1_952 * 16) + 20_000, IntrinsicGas.Compute(embedded));

        Transaction tooLittle = Unsigned(0, s_bob, 1);
        tooLittle.GasLimit = 79_943;
        MlDsaTransactionSigner.Sign(tooLittle, Key(1).SecretKey, Key(1).PublicKey, embedPublicKey: false, deterministic: true);
        Assert.Equal(TxError.IntrinsicGasTooLow, TransactionValidator.Check(tooLittle, s_config, TxValidationMode.Consensus, out string detail));
        Assert.Contains("minimum needed 79944", detail);
    }

    [Fact]
    public void Decoding_an_ecdsa_transaction_into_a_reused_ml_dsa_one_clears_the_ml_dsa_fields()
    {
        var tx = new Transaction();
        Assert.Equal(TxError.None, TransactionDecoder.TryDecode(SignedRaw(Key(1), 0, s_bob, 1, embedKey: true), tx, out _));
        byte[] ecdsa = Chain.ChainFixtures.SignedTransfer(Chain.ChainFixtures.Key(0), 0, s_bob, 1);
        Assert.Equal(TxError.None, TransactionDecoder.TryDecode(ecdsa, tx, out _));
        Assert.Equal(TxType.DynamicFee, tx.Type);
        Assert.True(tx.MlDsaPublicKey.IsEmpty && tx.MlDsaSignature.IsEmpty && tx.MlDsaKeyHash.IsZero && !tx.MlDsaKeyEmbedded);
        Assert.Equal(ecdsa, TransactionEncoder.Encode(tx));
    }

    [Fact]
    public void A_mixed_batch_verifies_ml_dsa_beside_ecdsa_and_resolves_a_key_hash_from_the_same_batch()
    {
        var recovery = new SenderRecovery();
        var txs = new List<Transaction>();
        var expected = new List<(TxError Error, Address Sender)>();
        for (int i = 0; i < 40; i++)
        {
            var tx = new Transaction();
            byte[] raw;
            TxError error = TxError.None;
            Address sender;
            switch (i % 5)
            {
                case 0:
                    raw = Chain.ChainFixtures.SignedTransfer(Chain.ChainFixtures.Key(i), 0, s_bob, 1);
                    sender = Chain.ChainFixtures.AddressOf(Chain.ChainFixtures.Key(i));
                    break;
                case 1:
                    raw = SignedRaw(Key(i), 0, s_bob, 1, embedKey: true);
                    sender = Key(i).Address;
                    break;
                case 2:
                    // The key of item i - 1, carried in full earlier in this batch.
                    raw = SignedRaw(Key(i - 1), 1, s_bob, 1, embedKey: false);
                    sender = Key(i - 1).Address;
                    break;
                case 3:
                    // A key no one has registered.
                    raw = SignedRaw(Key(1000 + i), 0, s_bob, 1, embedKey: false);
                    error = TxError.MlDsaKeyNotRegistered;
                    sender = default;
                    break;
                default:
                    Transaction forged = Signed(Key(i), 0, s_bob, 1, embedKey: true);
                    forged.Nonce = 5;
                    raw = TransactionEncoder.Encode(forged);
                    error = TxError.MlDsaSignatureInvalid;
                    sender = default;
                    break;
            }
            Assert.Equal(TxError.None, TransactionDecoder.TryDecode(raw, tx, out _));
            txs.Add(tx);
            expected.Add((error, sender));
        }

        var results = new TxError[txs.Count];
        int recovered = recovery.RecoverSenders(txs.ToArray(), results);

        Assert.Equal(expected.Count(e => e.Error == TxError.None), recovered);
        for (int i = 0; i < txs.Count; i++)
        {
            Assert.Equal(expected[i].Error, results[i]);
            Assert.Equal(expected[i].Error == TxError.None, txs[i].HasSender);
            Assert.Equal(expected[i].Sender, txs[i].Sender);
        }
    }

    private static List<byte[]> Items(byte[] raw)
    {
        RlpReader list = RlpReader.DecodeList(raw.AsSpan(1));
        var items = new List<byte[]>();
        while (!list.IsEnd) items.Add(list.ReadEncoded().ToArray());
        return items;
    }

    private static byte[] RlpString(byte[] value)
    {
        var buffer = new byte[RlpWriter.LengthOfString(value)];
        var writer = new RlpWriter(buffer);
        writer.WriteString(value);
        return buffer;
    }

    private static byte[] Envelope(List<byte[]> items)
    {
        int payload = items.Sum(i => i.Length);
        var buffer = new byte[1 + RlpWriter.LengthOfList(payload)];
        buffer[0] = 0x4E;
        var writer = new RlpWriter(buffer.AsSpan(1));
        writer.WriteListHeader(payload);
        foreach (byte[] item in items) writer.WriteEncoded(item);
        return buffer;
    }
}
