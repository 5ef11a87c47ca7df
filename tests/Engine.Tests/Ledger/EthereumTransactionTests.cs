using NexusFast.Engine.Crypto;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using Xunit.Abstractions;
using static NexusFast.Engine.Tests.Ledger.TransactionVectors;

namespace NexusFast.Engine.Tests.Ledger;

/// <summary>
/// ethereum-tests/TransactionTests (README section 4): every test of the 206 files, valid ones accepted with the
/// expected sender, hash and intrinsic gas, invalid ones rejected with an error of the matching category.
/// </summary>
public class EthereumTransactionTests
{
    /// <summary>These vectors assume chain id 1 (valid legacy v is 27, 28, 37 or 38; typed ones carry chain id 1).</summary>
    private static readonly ChainConfig s_config = new() { ChainId = 1 };

    /// <summary>
    /// TransactionException name -> the error(s) that mean the same here. Every RLP_* name maps to
    /// <see cref="TxError.RlpInvalid"/>, the decoder's one category for a malformed encoding (the detail names the field).
    /// </summary>
    private static readonly Dictionary<string, TxError[]> s_categories = new(StringComparer.Ordinal)
    {
        // `to` of the wrong length is a malformed field: geth's RLP decoder rejects it for common.Address too.
        ["ADDRESS_TOO_LONG"] = [TxError.RlpInvalid],
        ["ADDRESS_TOO_SHORT"] = [TxError.RlpInvalid],
        ["EC_RECOVERY_FAIL"] = [TxError.SenderRecoveryFailed],
        ["GASLIMIT_OVERFLOW"] = [TxError.GasLimitOverflow],
        ["GASLIMIT_PRICE_PRODUCT_OVERFLOW"] = [TxError.GasLimitPriceProductOverflow],
        ["GASPRICE_OVERFLOW"] = [TxError.GasPriceOverflow],
        ["INTRINSIC_GAS_TOO_LOW"] = [TxError.IntrinsicGasTooLow],
        // A v outside 27/28/35+ is InvalidChainId; a well-formed EIP-155 v for another chain (v 41 = chain 3,
        // 0x0136 = chain 137, ...) is WrongChainId: both are "invalid chain id for signer" to a client.
        ["INVALID_CHAINID"] = [TxError.InvalidChainId, TxError.WrongChainId],
        ["INVALID_SIGNATURE_VRS"] = [TxError.InvalidSignature],
        ["NONCE_OVERFLOW"] = [TxError.NonceOverflow],
        ["NONCE_TOO_BIG"] = [TxError.NonceTooBig],
        ["PRIORITY_GREATER_THAN_MAX_FEE_PER_GAS_2"] = [TxError.PriorityGreaterThanMaxFee],
        ["PRIORITY_OVERFLOW"] = [TxError.PriorityOverflow],
        ["TYPE_NOT_SUPPORTED"] = [TxError.TypeNotSupported],
        ["VALUE_OVERFLOW"] = [TxError.ValueOverflow],
    };

    /// <summary>Tests whose error here legitimately differs from the generic mapping, and why.</summary>
    private static readonly Dictionary<string, (TxError Error, string Reason)> s_exceptions = new(StringComparer.Ordinal)
    {
        ["ttGasLimit/TransactionWithGasLimitOverflowZeros64.json#TransactionWithGasLimitOverflowZeros64"] =
            (TxError.RlpInvalid, "the 9-byte gas limit 0x000000000000000001 starts with zeros: non-canonical RLP, which the strict reader reports before its size"),
        ["ttWrongRLP/TRANSCT_HeaderGivenAsArray_0.json#TRANSCT_HeaderGivenAsArray_0"] =
            (TxError.TypeNotSupported, "a byte string (0xb861) where the list header belongs: the same shape as ttWrongRLP/RLPTransactionGivenAsArray (0xb85f), which the suite files under TYPE_NOT_SUPPORTED; both get that answer here"),
    };

    private readonly ITestOutputHelper _output;

    public EthereumTransactionTests(ITestOutputHelper output) => _output = output;

    public static TheoryData<string> Cases() => [.. Ethereum.Keys];

    [Fact]
    public void The_suite_has_206_tests_48_valid_chosen_by_fork_as_the_readme_says()
    {
        var byFork = Ethereum.Values.GroupBy(c => c.Fork).ToDictionary(g => g.Key, g => g.Count());
        int valid = Ethereum.Values.Count(c => c.Exception is null);
        _output.WriteLine($"TransactionTests: {Ethereum.Count} tests, {valid} valid, {Ethereum.Count - valid} invalid; " +
                          $"Cancun {byFork.GetValueOrDefault("Cancun")}, Shanghai {byFork.GetValueOrDefault("Shanghai")}, London {byFork.GetValueOrDefault("London")}");
        foreach (var group in Ethereum.Values.Where(c => c.Exception is not null).GroupBy(c => c.Exception).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            _output.WriteLine($"  {group.Key}: {group.Count()}");
        }

        Assert.Equal(206, Ethereum.Count);
        Assert.Equal(48, valid);
        Assert.Equal(145, byFork["Cancun"]);
        Assert.Equal(59, byFork["Shanghai"]);
        Assert.Equal(2, byFork["London"]);
        foreach (EthereumCase test in Ethereum.Values)
        {
            if (test.Exception is null || test.Exception.StartsWith("RLP_", StringComparison.Ordinal)) continue;
            Assert.True(s_categories.ContainsKey(test.Exception), $"{test.Id}: no category for {test.Exception}");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_transaction_test_is_accepted_or_rejected_as_expected(string id)
    {
        EthereumCase test = Ethereum[id];
        var tx = new Transaction { Nonce = 0xDEAD, Hash = Hash256.Parse("0x" + new string('a', 64)) };

        // Step by step, so that each stage's guarantees can be checked; the one-call pipeline must agree.
        TxError error = TransactionDecoder.TryDecode(test.TxBytes, tx, out string detail);
        bool decoded = error == TxError.None;
        if (!decoded)
        {
            Assert.Equal(0xDEADul, tx.Nonce); // a rejected input changes nothing
        }
        else
        {
            error = TransactionValidator.Check(tx, s_config, TxValidationMode.Consensus, out detail);
            if (error == TxError.None) error = SenderRecovery.RecoverSender(tx);
        }

        TxError pipeline = TransactionValidator.Validate(test.TxBytes, new Transaction(), s_config, TxValidationMode.Consensus, out string pipelineDetail);
        Assert.Equal(error, pipeline);
        _output.WriteLine($"{id} ({test.Fork}): expected {test.Exception ?? "valid"}, got {error}{(pipelineDetail.Length > 0 ? ": " + pipelineDetail : "")}");

        if (test.Exception is null)
        {
            Assert.True(error == TxError.None, $"{id}: {error}: {pipelineDetail}");
            Assert.Equal(test.Sender, tx.Sender);
            Assert.Equal(test.Hash, tx.Hash);
            Assert.Equal(test.Hash, Keccak256.Compute(test.TxBytes));
            Assert.Equal(test.IntrinsicGas, IntrinsicGas.Compute(tx));
            Assert.Equal(test.TxBytes, TransactionEncoder.Encode(tx));
            return;
        }

        Assert.NotEqual(TxError.None, error);
        Assert.False(string.IsNullOrEmpty(pipelineDetail));
        TxError[] allowed = s_exceptions.TryGetValue(id, out var exception) ? [exception.Error]
            : test.Exception.StartsWith("RLP_", StringComparison.Ordinal) ? [TxError.RlpInvalid]
            : s_categories[test.Exception];
        Assert.True(allowed.Contains(error), $"{id}: {test.Exception} should map to {string.Join(" or ", allowed)}, got {error}: {pipelineDetail}");
    }
}
