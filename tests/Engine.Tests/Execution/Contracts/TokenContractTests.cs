using NexusFast.Engine.Crypto;
using NexusFast.Engine.Execution.Contracts;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.Tests.Mempool;
using NexusFast.Engine.Tests.Vm.Toolchain;
using static NexusFast.Engine.Tests.Execution.Contracts.ContractTestChain;

namespace NexusFast.Engine.Tests.Execution.Contracts;

/// <summary>contracts/token.c (ERC-20) through the executor: balances, allowances, events and OpenZeppelin's revert messages.</summary>
public class TokenContractTests
{
    private const uint TotalSupply = 0x18160ddd, BalanceOf = 0x70a08231, TransferSel = 0xa9059cbb, Allowance = 0xdd62ed3e,
        Approve = 0x095ea7b3, TransferFrom = 0x23b872dd, Decimals = 0x313ce567, Symbol = 0x95d89b41;

    private static readonly Hash256 TransferTopic = Keccak256.Compute("Transfer(address,address,uint256)"u8);
    private static readonly Hash256 ApprovalTopic = Keccak256.Compute("Approval(address,address,uint256)"u8);
    private static readonly Address Bob = TxPoolTests.Sender(21);
    private static string TokenSource => RepositoryPaths.PathOf("contracts", "token.c");

    private static ulong Read(ContractTestChain chain, Address token, uint selector, params Hash256[] words)
    {
        Receipt receipt = chain.Call(token, Input(selector, words));
        Assert.True(receipt.Success, chain.LastFailure);
        return (ulong)WordAt(chain.LastOutput, 0).ToUInt256();
    }

    [ClangFact]
    public void The_token_mints_to_its_deployer_moves_balances_and_emits_the_standard_events()
    {
        using var chain = new ContractTestChain();
        Receipt deployed = chain.Deploy(Compile(TokenSource), Word(1_000).ToArray());
        Assert.True(deployed.Success, chain.LastFailure);
        Address token = deployed.ContractAddress!.Value;
        LogEntry mint = Assert.Single(deployed.Logs);
        Assert.Equal([TransferTopic, Word(0), Word(Alice)], mint.Topics);

        Assert.Equal(1_000UL, Read(chain, token, TotalSupply));
        Assert.Equal(18UL, Read(chain, token, Decimals));
        Assert.Equal(1_000UL, Read(chain, token, BalanceOf, Word(Alice)));

        Receipt sent = chain.Call(token, Input(TransferSel, Word(Bob), Word(250)));
        Assert.True(sent.Success, chain.LastFailure);
        Assert.Equal(Word(1), WordAt(chain.LastOutput, 0));
        LogEntry transfer = Assert.Single(sent.Logs);
        Assert.Equal([TransferTopic, Word(Alice), Word(Bob)], transfer.Topics);
        Assert.Equal(Word(250).ToArray(), transfer.Data);
        Assert.Equal(750UL, Read(chain, token, BalanceOf, Word(Alice)));
        Assert.Equal(250UL, Read(chain, token, BalanceOf, Word(Bob)));

        chain.Call(token, Input(Symbol));
        Assert.Equal(RevertReason.Encode("NXT")[4..], chain.LastOutput);
    }

    [ClangFact]
    public void Transfers_beyond_the_balance_or_the_allowance_revert_with_openzeppelins_messages()
    {
        using var chain = new ContractTestChain();
        Address token = chain.Deploy(Compile(TokenSource), Word(1_000).ToArray()).ContractAddress!.Value;

        Receipt failed = chain.Call(token, Input(TransferSel, Word(Bob), Word(1_001)));
        Assert.False(failed.Success);
        Assert.Equal(RevertReason.Encode("ERC20: transfer amount exceeds balance"), chain.LastOutput);
        Assert.Equal(1_000UL, Read(chain, token, BalanceOf, Word(Alice)));

        Receipt approved = chain.Call(token, Input(Approve, Word(Alice), Word(300)));
        Assert.True(approved.Success, chain.LastFailure);
        Assert.Equal([ApprovalTopic, Word(Alice), Word(Alice)], Assert.Single(approved.Logs).Topics);
        Assert.Equal(300UL, Read(chain, token, Allowance, Word(Alice), Word(Alice)));

        Assert.True(chain.Call(token, Input(TransferFrom, Word(Alice), Word(Bob), Word(200))).Success, chain.LastFailure);
        Assert.Equal(100UL, Read(chain, token, Allowance, Word(Alice), Word(Alice)));
        Assert.False(chain.Call(token, Input(TransferFrom, Word(Alice), Word(Bob), Word(101))).Success);
        Assert.Equal(RevertReason.Encode("ERC20: insufficient allowance"), chain.LastOutput);
        Assert.Equal(200UL, Read(chain, token, BalanceOf, Word(Bob)));
        Assert.Equal(800UL, Read(chain, token, BalanceOf, Word(Alice)));
    }
}
