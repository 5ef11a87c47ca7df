using System.Text;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Execution.Contracts;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.Tests.Mempool;
using NexusFast.Engine.Tests.Vm.Toolchain;
using static NexusFast.Engine.Tests.Execution.Contracts.ContractTestChain;

namespace NexusFast.Engine.Tests.Execution.Contracts;

/// <summary>contracts/did.c through the executor: controllers, attributes (set, list, revoke), deactivation and events.</summary>
public class DidRegistryContractTests
{
    private const uint ControllerOf = 0xd3a2b210, IsDeactivated = 0xa0d721b6, ChangeController = 0x3e11e378,
        SetAttribute = 0xbbb09fde, RevokeAttribute = 0xdd1616d8, AttributeCount = 0xf3553a07, AttributeNameAt = 0xd101b147,
        GetAttribute = 0x163f6691, Deactivate = 0x3ea053eb;

    private static readonly Address Bob = TxPoolTests.Sender(51);

    private static Hash256 Name(string text)
    {
        byte[] bytes = new byte[32];
        Encoding.ASCII.GetBytes(text).CopyTo(bytes, 0);
        return new Hash256(bytes);
    }

    private static byte[] SetInput(Address identity, string name, string value)
    {
        byte[] text = Encoding.UTF8.GetBytes(value);
        byte[] padded = new byte[(text.Length + 31) / 32 * 32];
        text.CopyTo(padded, 0);
        return [.. Input(SetAttribute, Word(identity), Name(name), Word(96), Word((ulong)text.Length)), .. padded];
    }

    private static string Attribute(ContractTestChain chain, Address registry, Address identity, string name)
    {
        Assert.True(chain.Call(registry, Input(GetAttribute, Word(identity), Name(name))).Success, chain.LastFailure);
        int length = (int)(ulong)WordAt(chain.LastOutput, 1).ToUInt256();
        return Encoding.UTF8.GetString(chain.LastOutput, 64, length);
    }

    private static Hash256 Read(ContractTestChain chain, Address registry, uint selector, params Hash256[] words)
    {
        Assert.True(chain.Call(registry, Input(selector, words)).Success, chain.LastFailure);
        return WordAt(chain.LastOutput, 0);
    }

    private static (ContractTestChain Chain, Address Registry) Deploy()
    {
        var chain = new ContractTestChain();
        chain.Fund(Bob);
        Receipt receipt = chain.Deploy(Compile(RepositoryPaths.PathOf("contracts", "did.c")), []);
        Assert.True(receipt.Success, chain.LastFailure);
        return (chain, receipt.ContractAddress!.Value);
    }

    [ClangFact]
    public void An_identity_controls_itself_sets_lists_and_revokes_attributes_with_events()
    {
        (ContractTestChain chain, Address registry) = Deploy();
        using (chain)
        {
            Assert.Equal(Word(Alice), Read(chain, registry, ControllerOf, Word(Alice)));
            Receipt set = chain.Call(registry, SetInput(Alice, "svc/LinkedDomains", "https://alice.example"));
            Assert.True(set.Success, chain.LastFailure);
            LogEntry log = Assert.Single(set.Logs);
            Assert.Equal([Keccak256.Compute("DIDAttributeChanged(address,bytes32,bytes)"u8), Word(Alice)], log.Topics);
            Assert.Equal(Name("svc/LinkedDomains"), WordAt(log.Data, 0));

            chain.Call(registry, SetInput(Alice, "svc/Messaging", "https://chat.example/alice"));
            chain.Call(registry, SetInput(Alice, "svc/LinkedDomains", "https://a-longer-address-for-alice.example/than-one-word"));
            Assert.Equal(Word(2), Read(chain, registry, AttributeCount, Word(Alice)));
            Assert.Equal("https://a-longer-address-for-alice.example/than-one-word", Attribute(chain, registry, Alice, "svc/LinkedDomains"));

            Receipt revoked = chain.Call(registry, Input(RevokeAttribute, Word(Alice), Name("svc/LinkedDomains")));
            Assert.True(revoked.Success, chain.LastFailure);
            Assert.Equal(Word(1), Read(chain, registry, AttributeCount, Word(Alice)));
            Assert.Equal(Name("svc/Messaging"), Read(chain, registry, AttributeNameAt, Word(Alice), Word(0)));
            Assert.Equal("", Attribute(chain, registry, Alice, "svc/LinkedDomains"));
            Assert.False(chain.Call(registry, Input(RevokeAttribute, Word(Alice), Name("svc/LinkedDomains"))).Success);
            Assert.Equal(RevertReason.Encode("did: no such attribute"), chain.LastOutput);
        }
    }

    [ClangFact]
    public void Only_the_controller_changes_an_identity_and_a_deactivated_one_changes_no_more()
    {
        (ContractTestChain chain, Address registry) = Deploy();
        using (chain)
        {
            Assert.False(chain.Send(registry, SetInput(Alice, "svc/X", "y"), 300_000, sender: Bob).Success);
            Assert.Equal(RevertReason.Encode("did: caller is not the controller"), chain.LastOutput);

            Assert.True(chain.Call(registry, Input(ChangeController, Word(Alice), Word(Bob))).Success, chain.LastFailure);
            Assert.Equal(Word(Bob), Read(chain, registry, ControllerOf, Word(Alice)));
            Assert.False(chain.Call(registry, SetInput(Alice, "svc/X", "y")).Success);
            Assert.True(chain.Send(registry, SetInput(Alice, "svc/X", "y"), 300_000, sender: Bob).Success, chain.LastFailure);

            Receipt deactivated = chain.Send(registry, Input(Deactivate, Word(Alice)), 300_000, sender: Bob);
            Assert.True(deactivated.Success, chain.LastFailure);
            Assert.Equal([Keccak256.Compute("DIDDeactivated(address)"u8), Word(Alice)], Assert.Single(deactivated.Logs).Topics);
            Assert.Equal(Word(1), Read(chain, registry, IsDeactivated, Word(Alice)));
            Assert.False(chain.Send(registry, SetInput(Alice, "svc/X", "z"), 300_000, sender: Bob).Success);
            Assert.Equal(RevertReason.Encode("did: deactivated"), chain.LastOutput);
            Assert.Equal("y", Attribute(chain, registry, Alice, "svc/X"));
        }
    }
}
