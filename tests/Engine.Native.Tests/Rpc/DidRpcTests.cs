using System.Text;
using System.Text.Json;
using NexusFast.Engine.Execution.Contracts;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.Tests.Vm.Toolchain;
using NexusFast.Native.Rpc;
using NexusFast.Native.Tests.Support;

namespace NexusFast.Native.Tests.Rpc;

/// <summary>nexus_resolveDid against contracts/did.c deployed through the node: a W3C DID resolution result.</summary>
public sealed class DidRpcTests : IAsyncLifetime
{
    private TestNode _node = null!;
    private ulong _nonce;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    private async Task<JsonElement> SendAsync(Address? to, byte[] data)
    {
        var tx = new Transaction
        {
            Type = TxType.DynamicFee, ChainId = TestNode.ChainId, Nonce = _nonce++, GasLimit = 8_000_000, To = to, Data = data,
            MaxFeePerGas = 3_000_000_000, MaxPriorityFeePerGas = 1_000_000_000,
        };
        TransactionSigner.Sign(tx, TestNode.Keys[0]);
        string hash = (await _node.ResultAsync("eth_sendRawTransaction", $"[\"{TestNode.Raw(tx)}\"]")).GetString()!;
        JsonElement receipt = await _node.ResultAsync("eth_getTransactionReceipt", $"[\"{hash}\"]");
        Assert.Equal("0x1", receipt.GetProperty("status").GetString());
        return receipt;
    }

    private static byte[] Word(Address address) => [.. new byte[12], .. address.Bytes];

    private static byte[] Selector(uint value) => [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];

    private static byte[] SetAttribute(Address identity, string name, string value)
    {
        byte[] nameWord = new byte[32];
        Encoding.ASCII.GetBytes(name).CopyTo(nameWord, 0);
        byte[] text = Encoding.UTF8.GetBytes(value);
        byte[] padded = new byte[(text.Length + 31) / 32 * 32];
        text.CopyTo(padded, 0);
        return [.. Selector(0xbbb09fde), .. Word(identity), .. nameWord, .. Hash256.FromUInt256(new UInt256(96)).Bytes,
            .. Hash256.FromUInt256(new UInt256((ulong)text.Length)).Bytes, .. padded];
    }

    [ClangFact]
    public async Task A_did_resolves_to_its_controller_and_services_and_a_deactivated_one_says_so()
    {
        byte[] elf = File.ReadAllBytes(CCompiler.CompileBpf(RepositoryPaths.PathOf("contracts", "did.c")));
        JsonElement deployed = await SendAsync(null, DeploymentData.Build(elf));
        Address registry = Address.Parse(deployed.GetProperty("contractAddress").GetString()!);
        Address me = TestNode.Account(0);
        await SendAsync(registry, SetAttribute(me, "svc/LinkedDomains", "https://example.com"));
        await SendAsync(registry, SetAttribute(me, "pub/Other", "not a service"));

        string did = $"did:nexus:{me}";
        JsonElement result = await _node.ResultAsync("nexus_resolveDid", $"[\"{did}\", \"{registry}\"]");
        JsonElement document = result.GetProperty("didDocument");
        Assert.Equal(did, document.GetProperty("id").GetString());
        Assert.Equal(did, document.GetProperty("controller").GetString());
        JsonElement method = Assert.Single(document.GetProperty("verificationMethod").EnumerateArray().ToArray());
        Assert.Equal("EcdsaSecp256k1RecoveryMethod2020", method.GetProperty("type").GetString());
        Assert.Equal($"eip155:{TestNode.ChainId}:{me}", method.GetProperty("blockchainAccountId").GetString());
        Assert.Equal(did + "#controller", Assert.Single(document.GetProperty("authentication").EnumerateArray().ToArray()).GetString());
        JsonElement service = Assert.Single(document.GetProperty("service").EnumerateArray().ToArray());
        Assert.Equal("LinkedDomains", service.GetProperty("type").GetString());
        Assert.Equal("https://example.com", service.GetProperty("serviceEndpoint").GetString());
        Assert.False(result.GetProperty("didDocumentMetadata").GetProperty("deactivated").GetBoolean());

        await SendAsync(registry, [.. Selector(0x3ea053eb), .. Word(me)]);
        result = await _node.ResultAsync("nexus_resolveDid", $"[\"{did}\", \"{registry}\"]");
        Assert.True(result.GetProperty("didDocumentMetadata").GetProperty("deactivated").GetBoolean());
        Assert.False(result.GetProperty("didDocument").TryGetProperty("verificationMethod", out _));

        (int code, string message) = await _node.ErrorAsync("nexus_resolveDid", $"[\"did:example:123\", \"{registry}\"]");
        Assert.Equal((RpcError.InvalidParams, "invalid argument 0 (did): expected did:nexus:0x followed by 40 hex digits"), (code, message));
        (code, message) = await _node.ErrorAsync("nexus_resolveDid", $"[\"{did}\", \"{TestNode.Account(1)}\"]");
        Assert.Equal((RpcError.ServerError, $"{TestNode.Account(1)} is not a contract"), (code, message));
    }
}
