using System.Text.Json;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Crypto.MlDsa;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using NexusFast.Native.Tests.Support;

namespace NexusFast.Native.Tests.Rpc;

/// <summary>ML-DSA transactions (type 0x4e) over JSON-RPC: submitted raw, read back as transactions, in blocks and receipts.</summary>
public sealed class MlDsaTransactionMethodTests : IAsyncLifetime
{
    private static readonly string[] s_mlDsaFields =
    [
        "blockHash", "blockNumber", "from", "gas", "gasPrice", "maxFeePerGas", "maxPriorityFeePerGas", "hash", "input", "nonce",
        "to", "transactionIndex", "value", "type", "accessList", "chainId", "v", "r", "s", "yParity",
        "mlDsaKeyHash", "mlDsaSignature",
    ];

    private static readonly Lazy<(byte[] PublicKey, byte[] SecretKey)> s_key = new(() =>
    {
        MlDsaParameters p = MlDsaParameters.MlDsa65;
        var publicKey = new byte[p.PublicKeySize];
        var secretKey = new byte[p.SecretKeySize];
        MlDsaScheme.GenerateKey(p, Enumerable.Repeat((byte)0x4e, 32).ToArray(), publicKey, secretKey);
        return (publicKey, secretKey);
    });

    private TestNode _node = null!;

    private static Address Sender => MlDsaTransactions.AddressOf(s_key.Value.PublicKey);

    public async Task InitializeAsync() => _node = await TestNode.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    private static Transaction MlDsaTransfer(ulong nonce, Address to, UInt256 value, bool embedKey, ulong gas = 200_000)
    {
        var tx = new Transaction
        {
            ChainId = TestNode.ChainId,
            Nonce = nonce,
            GasLimit = gas,
            To = to,
            Value = value,
            MaxFeePerGas = 3_000_000_000,
            MaxPriorityFeePerGas = 1_000_000_000,
        };
        MlDsaTransactionSigner.Sign(tx, s_key.Value.SecretKey, s_key.Value.PublicKey, embedKey);
        return tx;
    }

    /// <summary>An ML-DSA account starts empty: account 0 funds it with an ordinary transfer.</summary>
    private async Task FundAsync()
    {
        Transaction funding = TestNode.Transfer(0, 0, Sender, UInt256.Parse("1000000000000000000"));
        await _node.ResultAsync("eth_sendRawTransaction", $"[\"{TestNode.Raw(funding)}\"]");
    }

    [Fact]
    public async Task A_key_carrying_then_a_key_hash_transaction_are_mined_and_read_back_with_their_type()
    {
        await FundAsync();
        Transaction first = MlDsaTransfer(0, TestNode.Account(1), new UInt256(1_000), embedKey: true);
        string raw = TestNode.Raw(first);
        string hash = (await _node.ResultAsync("eth_sendRawTransaction", $"[\"{raw}\"]")).GetString()!;
        Assert.Equal(Keccak256.Compute(Hex.ParseData(raw)).ToString(), hash);

        JsonElement receipt = await _node.ResultAsync("eth_getTransactionReceipt", $"[\"{hash}\"]");
        Assert.Equal("0x4e", receipt.GetProperty("type").GetString());
        Assert.Equal("0x1", receipt.GetProperty("status").GetString());
        Assert.Equal(Sender.ToString(), receipt.GetProperty("from").GetString());
        Assert.Equal(Hex.ToQuantity(131_176), receipt.GetProperty("gasUsed").GetString());

        JsonElement json = await _node.ResultAsync("eth_getTransactionByHash", $"[\"{hash}\"]");
        JsonFormat.AssertFields(json, [.. s_mlDsaFields, "mlDsaPublicKey"]);
        Assert.Equal("0x4e", json.GetProperty("type").GetString());
        Assert.Equal(Sender.ToString(), json.GetProperty("from").GetString());
        Assert.Equal(Hex.ToHexData(s_key.Value.PublicKey), json.GetProperty("mlDsaPublicKey").GetString());
        Assert.Equal(MlDsaTransactions.ComputeKeyHash(s_key.Value.PublicKey).ToString(), json.GetProperty("mlDsaKeyHash").GetString());
        Assert.Equal(Hex.ToHexData(first.MlDsaSignature.Span), json.GetProperty("mlDsaSignature").GetString());
        Assert.Equal("0x0", json.GetProperty("r").GetString());
        Assert.Equal("0xb2d05e00", json.GetProperty("maxFeePerGas").GetString());

        Transaction second = MlDsaTransfer(1, TestNode.Account(2), new UInt256(7), embedKey: false);
        hash = (await _node.ResultAsync("eth_sendRawTransaction", $"[\"{TestNode.Raw(second)}\"]")).GetString()!;
        receipt = await _node.ResultAsync("eth_getTransactionReceipt", $"[\"{hash}\"]");
        Assert.Equal("0x1", receipt.GetProperty("status").GetString());
        Assert.Equal(Hex.ToQuantity(79_944), receipt.GetProperty("gasUsed").GetString());
        json = await _node.ResultAsync("eth_getTransactionByHash", $"[\"{hash}\"]");
        JsonFormat.AssertFields(json, s_mlDsaFields);
        Assert.Equal("0x1", json.GetProperty("nonce").GetString());

        JsonElement block = await _node.ResultAsync("eth_getBlockByNumber", $"[\"{json.GetProperty("blockNumber").GetString()}\", true]");
        JsonElement inBlock = Assert.Single(block.GetProperty("transactions").EnumerateArray());
        Assert.Equal("0x4e", inBlock.GetProperty("type").GetString());
        Assert.Equal(hash, inBlock.GetProperty("hash").GetString());
        JsonElement receipts = await _node.ResultAsync("eth_getBlockReceipts", $"[\"{json.GetProperty("blockNumber").GetString()}\"]");
        Assert.Equal("0x4e", Assert.Single(receipts.EnumerateArray()).GetProperty("type").GetString());
        Assert.Equal(new UInt256(7), _node.Chain.GetAccount(TestNode.Account(2)).Balance - TestNode.InitialBalance);
    }

    [Fact]
    public async Task Refusals_say_what_is_wrong_with_the_ml_dsa_transaction()
    {
        await FundAsync();
        (int code, string message) = await _node.ErrorAsync("eth_sendRawTransaction", $"[\"{TestNode.Raw(MlDsaTransfer(0, TestNode.Account(1), UInt256.One, embedKey: false))}\"]");
        Assert.Equal(-32000, code);
        Assert.StartsWith("ML-DSA key hash not registered", message);

        Transaction forged = MlDsaTransfer(0, TestNode.Account(1), UInt256.One, embedKey: true);
        forged.Value = new UInt256(2);
        (code, message) = await _node.ErrorAsync("eth_sendRawTransaction", $"[\"{TestNode.Raw(forged)}\"]");
        Assert.Equal(-32000, code);
        Assert.StartsWith("invalid ML-DSA signature", message);

        (code, message) = await _node.ErrorAsync("eth_sendRawTransaction", $"[\"{TestNode.Raw(MlDsaTransfer(0, TestNode.Account(1), UInt256.One, embedKey: true, gas: 100_000))}\"]");
        Assert.Equal(-32000, code);
        Assert.StartsWith("intrinsic gas too low", message);
        Assert.Contains("minimum needed 131176", message);
        Assert.Equal(0, _node.Chain.Pool.Count);
    }
}
