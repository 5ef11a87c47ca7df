using System.Text.Json;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.State;
using NexusFast.Native.Rpc;
using NexusFast.Native.Tests.Support;

namespace NexusFast.Native.Tests.Rpc;

/// <summary>nexus_getProof: proofs that verify against the head block's state root with <see cref="StateProofVerifier"/>.</summary>
public sealed class ProofTests : IAsyncLifetime
{
    private TestNode _node = null!;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task An_account_proof_verifies_against_the_state_root_of_the_reported_block()
    {
        await _node.ResultAsync("eth_sendRawTransaction", $"[\"{TestNode.Raw(TestNode.Transfer(0, 0, TestNode.Account(1), new UInt256(77)))}\"]");
        Address address = TestNode.Account(0);
        JsonElement proof = await _node.ResultAsync("nexus_getProof", $"[\"{address}\", [\"0x0\", \"0x{new string('0', 63)}1\"], \"latest\"]");

        JsonElement block = await _node.ResultAsync("eth_getBlockByNumber", "[\"latest\", false]");
        Assert.Equal(block.GetProperty("hash").GetString(), proof.GetProperty("blockHash").GetString());
        Assert.Equal(block.GetProperty("stateRoot").GetString(), proof.GetProperty("stateRoot").GetString());
        Assert.Equal(address.ToString(), proof.GetProperty("address").GetString());
        Assert.Equal("0x1", proof.GetProperty("nonce").GetString());
        Assert.Equal(Account.EmptyCodeHash.ToString(), proof.GetProperty("codeHash").GetString());

        Hash256 stateRoot = Hash256.Parse(proof.GetProperty("stateRoot").GetString()!);
        var account = new Account(TestNode.Quantity(proof.GetProperty("nonce")), TestNode.BigQuantity(proof.GetProperty("balance")),
            Hash256.Parse(proof.GetProperty("codeHash").GetString()!), Hash256.Parse(proof.GetProperty("storageHash").GetString()!));
        Assert.True(AccountProof.TryDecode(Hex.ParseData(proof.GetProperty("accountProof").GetString()!), out AccountProof? decoded, out string? error), error);
        Assert.True(StateProofVerifier.VerifyAccount(stateRoot, address, account, decoded));
        // The same proof does not prove a different balance.
        Assert.False(StateProofVerifier.VerifyAccount(stateRoot, address, account.WithBalance(account.Balance + UInt256.One), decoded));

        JsonElement[] storage = proof.GetProperty("storageProof").EnumerateArray().ToArray();
        Assert.Equal(2, storage.Length);
        Hash256 storageRoot = Hash256.Parse(proof.GetProperty("storageHash").GetString()!);
        foreach (JsonElement slotProof in storage)
        {
            Assert.Equal("0x0", slotProof.GetProperty("value").GetString());
            Assert.True(StorageProof.TryDecode(Hex.ParseData(slotProof.GetProperty("proof").GetString()!), out StorageProof? slot, out error), error);
            Assert.True(StateProofVerifier.VerifyStorage(storageRoot, Hash256.Parse(slotProof.GetProperty("key").GetString()!), Hash256.Zero, slot));
        }
    }

    [Fact]
    public async Task An_absent_account_gets_a_proof_of_absence()
    {
        Address nobody = Address.Parse("0x000000000000000000000000000000000000abcd");
        JsonElement proof = await _node.ResultAsync("nexus_getProof", $"[\"{nobody}\", []]");
        Assert.Equal("0x0", proof.GetProperty("balance").GetString());
        Hash256 stateRoot = Hash256.Parse(proof.GetProperty("stateRoot").GetString()!);
        Assert.True(AccountProof.TryDecode(Hex.ParseData(proof.GetProperty("accountProof").GetString()!), out AccountProof? decoded, out _));
        Assert.True(StateProofVerifier.VerifyAccount(stateRoot, nobody, null, decoded));
        Assert.False(StateProofVerifier.VerifyAccount(stateRoot, nobody, new Account(0, UInt256.One), decoded));
    }

    [Fact]
    public async Task Proofs_of_older_blocks_and_bad_keys_are_refused()
    {
        await _node.ResultAsync("evm_mine");
        (int code, string message) = await _node.ErrorAsync("nexus_getProof", $"[\"{TestNode.Account(0)}\", [], \"0x0\"]");
        Assert.Equal(RpcError.ServerError, code);
        Assert.StartsWith("missing trie node", message);
        (code, message) = await _node.ErrorAsync("nexus_getProof", $"[\"{TestNode.Account(0)}\", [\"0xzz\"]]");
        Assert.Equal((RpcError.InvalidParams, "invalid argument 1 (slots): key 0: invalid hex digit at position 2"), (code, message));
        (code, message) = await _node.ErrorAsync("nexus_getProof", $"[\"{TestNode.Account(0)}\", \"0x0\"]");
        Assert.Equal(RpcError.InvalidParams, code);
        Assert.StartsWith("invalid argument 1 (slots): expected an array", message);
    }
}
