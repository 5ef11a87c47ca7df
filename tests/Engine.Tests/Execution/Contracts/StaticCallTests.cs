using NexusFast.Engine.Execution.Contracts;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.Tests.Vm.Toolchain;
using NexusFast.Engine.Vm.Elf;
using static NexusFast.Engine.Tests.Execution.Contracts.ContractTestChain;

namespace NexusFast.Engine.Tests.Execution.Contracts;

/// <summary>
/// nexus_static_call with a contract pair (Programs/static_caller.c calling Programs/view_target.c): a read-only call
/// returns what a view returns, and every kind of state change in the callee, or in a call the callee makes, fails the
/// callee (its writes, logs and payments undone) while the caller goes on with result 1. The same functions called
/// with nexus_call_contract succeed, so each failure is the read-only rule's doing.
/// </summary>
public sealed class StaticCallTests
{
    private const uint StaticSelector = 1, PlainSelector = 2;
    private const uint View = 1, Store = 2, Log = 3, Transfer = 4, CallWithValue = 5, NestedStore = 6, NestedView = 7;

    private static string ProgramPath(string name) =>
        RepositoryPaths.PathOf("tests", "Engine.Tests", "Execution", "Contracts", "Programs", name);

    private static (ContractTestChain Chain, Address Caller, Address Target) DeployPair()
    {
        var chain = new ContractTestChain();
        Receipt caller = chain.Deploy(Compile(ProgramPath("static_caller.c")), []);
        Assert.True(caller.Success, chain.LastFailure);
        // 10 wei, so that the target's transfer and value call can succeed when they are allowed.
        Receipt target = chain.Deploy(Compile(ProgramPath("view_target.c")), [], value: 10);
        Assert.True(target.Success, chain.LastFailure);
        return (chain, caller.ContractAddress!.Value, target.ContractAddress!.Value);
    }

    private static Hash256 WordAt(byte[] output, int index) => new(output.AsSpan(index * 32, 32));

    [ClangFact]
    public void A_static_call_to_a_view_returns_its_data_and_the_caller_may_still_write()
    {
        (ContractTestChain chain, Address caller, Address target) = DeployPair();
        using (chain)
        {
            Receipt receipt = chain.Call(caller, Input(StaticSelector, Word(target), Word(View)));
            Assert.True(receipt.Success, chain.LastFailure);
            Assert.Equal(Word(0), WordAt(chain.LastOutput, 0));
            Assert.Equal(Word(32), WordAt(chain.LastOutput, 1));
            Assert.Equal(Word(42), WordAt(chain.LastOutput, 2));
            Assert.Equal(Word(1), chain.Storage(caller, 9));

            // A call the callee makes in turn is read-only too, and a read through it works.
            chain.Call(caller, Input(StaticSelector, Word(target), Word(NestedView)));
            Assert.Equal(Word(0), WordAt(chain.LastOutput, 0));
            Assert.Equal(Word(42), WordAt(chain.LastOutput, 2));
        }
    }

    [ClangTheory]
    [InlineData(Store)]
    [InlineData(Log)]
    [InlineData(Transfer)]
    [InlineData(CallWithValue)]
    [InlineData(NestedStore)]
    public void Every_state_change_inside_a_static_call_fails_the_callee_and_changes_nothing(uint change)
    {
        (ContractTestChain chain, Address caller, Address target) = DeployPair();
        using (chain)
        {
            UInt256 targetBalance = chain.Balance(target);
            UInt256 callerBalance = chain.Balance(caller);
            Receipt receipt = chain.Call(caller, Input(StaticSelector, Word(target), Word(change)));

            Assert.True(receipt.Success, chain.LastFailure);
            Assert.Equal(Word(1), WordAt(chain.LastOutput, 0));
            Assert.Equal(Word(42), chain.Storage(target, 0));
            Assert.Empty(receipt.Logs);
            Assert.Equal(targetBalance, chain.Balance(target));
            Assert.Equal(callerBalance, chain.Balance(caller));
            Assert.Equal(Word(1), chain.Storage(caller, 9));

            // The same function through an ordinary call is allowed.
            receipt = chain.Call(caller, Input(PlainSelector, Word(target), Word(change)));
            Assert.True(receipt.Success, chain.LastFailure);
            Assert.Equal(Word(0), WordAt(chain.LastOutput, 0));
        }
    }

    [Fact]
    public void A_static_call_is_priced_as_a_call_and_declared_in_the_header()
    {
        Assert.True(ContractGas.Catalog.TryGetGasPrice((uint)HostFunctionNames.StaticCall, out int price));
        Assert.Equal(ContractGas.Call, price);
        Assert.Contains("nexus_static_call", File.ReadAllText(RepositoryPaths.PathOf("contracts", "nexus.h")), StringComparison.Ordinal);
    }
}
