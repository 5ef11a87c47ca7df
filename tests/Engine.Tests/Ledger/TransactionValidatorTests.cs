using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using static NexusFast.Engine.Tests.Ledger.TransactionVectors;

namespace NexusFast.Engine.Tests.Ledger;

public class TransactionValidatorTests
{
    private static readonly byte[] s_secret = FromHex("0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318");
    private static readonly ChainConfig s_config = new() { ChainId = 31337 };

    private static byte[] Signed(Action<Transaction>? adjust = null, TxType type = TxType.DynamicFee)
    {
        var tx = new Transaction
        {
            Type = type,
            ChainId = 31337,
            Nonce = 3,
            GasLimit = 21_000,
            To = Address.Parse("0x70997970c51812dc3a010c7d01b50e0d17dc79c8"),
            Value = new UInt256(5),
        };
        if (type == TxType.DynamicFee)
        {
            tx.MaxPriorityFeePerGas = new UInt256(1_000_000_000);
            tx.MaxFeePerGas = new UInt256(3_000_000_000);
        }
        else
        {
            tx.GasPrice = new UInt256(3_000_000_000);
        }
        adjust?.Invoke(tx);
        TransactionSigner.Sign(tx, s_secret);
        return TransactionEncoder.Encode(tx);
    }

    private static Address Signer => EthersTransactionTests.AddressOf(s_secret);

    [Theory]
    [InlineData(TxValidationMode.Consensus)]
    [InlineData(TxValidationMode.Policy)]
    public void A_valid_transaction_passes_with_its_sender_and_an_empty_detail(TxValidationMode mode)
    {
        var tx = new Transaction();
        Assert.Equal(TxError.None, TransactionValidator.Validate(Signed(), tx, s_config, mode, out string detail));
        Assert.Equal(string.Empty, detail);
        Assert.True(tx.HasSender);
        Assert.Equal(Signer, tx.Sender);
    }

    [Fact]
    public void Decode_and_check_leaves_recovery_to_the_batch()
    {
        var tx = new Transaction();
        Assert.Equal(TxError.None, TransactionValidator.DecodeAndCheck(Signed(), tx, s_config, TxValidationMode.Policy, out _));
        Assert.False(tx.HasSender);
    }

    [Fact]
    public void Policy_refuses_an_oversized_input_before_decoding_it()
    {
        var config = s_config with { TransactionSizeMax = 64 };
        byte[] raw = [0x04, .. new byte[100]]; // not even a supported type: the size is checked first

        Assert.Equal(TxError.TooLarge, TransactionValidator.Validate(raw, new Transaction(), config, TxValidationMode.Policy, out string detail));
        Assert.Equal("oversized data: transaction size 101, limit 64", detail);
        Assert.Equal(TxError.TypeNotSupported, TransactionValidator.Validate(raw, new Transaction(), config, TxValidationMode.Consensus, out _));
    }

    [Fact]
    public void Policy_refuses_unprotected_legacy_transactions_unless_configured_and_consensus_accepts_them()
    {
        byte[] raw = Signed(t => t.ChainId = 0, TxType.Legacy);

        Assert.Equal(TxError.UnprotectedNotAllowed, TransactionValidator.Validate(raw, new Transaction(), s_config, TxValidationMode.Policy, out string detail));
        Assert.Equal("only replay-protected (EIP-155) transactions allowed over RPC", detail);

        var permissive = s_config with { AllowUnprotectedTransactions = true };
        Assert.Equal(TxError.None, TransactionValidator.Validate(raw, new Transaction(), permissive, TxValidationMode.Policy, out _));
        Assert.Equal(TxError.None, TransactionValidator.Validate(raw, new Transaction(), s_config, TxValidationMode.Consensus, out _));
    }

    [Fact]
    public void Rule_errors_carry_ethereum_wording_and_the_values_at_fault()
    {
        (Action<Transaction> Adjust, TxError Error, string Detail)[] cases =
        [
            (t => t.ChainId = 5, TxError.WrongChainId, "invalid chain id for signer: the transaction is for chain 5, this chain is 31337"),
            (t => t.GasLimit = 20_000, TxError.IntrinsicGasTooLow, "intrinsic gas too low: gas 20000, minimum needed 21000"),
            (t => t.Nonce = ulong.MaxValue, TxError.NonceTooBig, "nonce has max value: nonce 2^64-1 is reserved (EIP-2681)"),
            (t => t.MaxPriorityFeePerGas = new UInt256(4_000_000_000), TxError.PriorityGreaterThanMaxFee,
                "max priority fee per gas higher than max fee per gas: maxPriorityFeePerGas 4000000000, maxFeePerGas 3000000000"),
            (t => t.GasLimit = 40_000_000, TxError.GasLimitAboveBlockLimit, "exceeds block gas limit: gas 40000000, block gas limit 30000000"),
        ];

        foreach ((Action<Transaction> adjust, TxError error, string expected) in cases)
        {
            Assert.Equal(error, TransactionValidator.Validate(Signed(adjust), new Transaction(), s_config, TxValidationMode.Policy, out string detail));
            Assert.Equal(expected, detail);
        }
    }

    [Fact]
    public void A_high_s_signature_is_an_invalid_signature_with_the_reason()
    {
        var tx = new Transaction();
        Assert.Equal(TxError.None, TransactionDecoder.TryDecode(Signed(), tx, out _));
        tx.S = TransactionRules.SecpN - tx.S;

        Assert.Equal(TxError.InvalidSignature, TransactionValidator.Check(tx, s_config, TxValidationMode.Consensus, out string detail));
        Assert.Equal("invalid transaction v, r, s values: s is above n/2 (EIP-2 accepts only the low-s form)", detail);
        Assert.Equal(TxError.InvalidSignature, SenderRecovery.RecoverSender(tx));
    }
}
