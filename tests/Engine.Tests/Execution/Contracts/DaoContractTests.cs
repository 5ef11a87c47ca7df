using NexusFast.Engine.Crypto;
using NexusFast.Engine.Execution.Contracts;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.Tests.Mempool;
using NexusFast.Engine.Tests.Vm.Toolchain;
using static NexusFast.Engine.Tests.Execution.Contracts.ContractTestChain;

namespace NexusFast.Engine.Tests.Execution.Contracts;

/// <summary>
/// contracts/dao.c governed by contracts/token.c through the executor: locked token weight, proposals, votes, the
/// voting period and execution delay (block time advances one second per block here), quorum, and the executed call.
/// </summary>
public class DaoContractTests
{
    private const uint Approve = 0x095ea7b3, TransferSel = 0xa9059cbb, BalanceOf = 0x70a08231;
    private const uint Deposit = 0xb6b55f25, Withdraw = 0x2e1a7d4d, Propose = 0x93ba3f15, Vote = 0xc9d27afe,
        Execute = 0xfe0d94c1, GetProposal = 0xc7f758a8, WeightOf = 0xdd4bc101;

    private const ulong VotingPeriod = 10, Delay = 3, Quorum = 400;
    private static readonly Address Bob = TxPoolTests.Sender(41);
    private static readonly Address Dave = TxPoolTests.Sender(43);

    private static byte[] ProposeInput(Address target, ulong value) =>
        Input(Propose, Word(target), Word(value), Word(96), Word(0));

    private static void Ok(ContractTestChain chain, Receipt receipt) => Assert.True(receipt.Success, chain.LastFailure);

    private static void Reverts(ContractTestChain chain, Receipt receipt, string reason)
    {
        Assert.False(receipt.Success);
        Assert.Equal(RevertReason.Encode(reason), chain.LastOutput);
    }

    private static (ContractTestChain Chain, Address Token, Address Dao) Setup()
    {
        var chain = new ContractTestChain();
        chain.Fund(Bob);
        Address token = chain.Deploy(Compile(RepositoryPaths.PathOf("contracts", "token.c")), Word(1_000).ToArray()).ContractAddress!.Value;
        Receipt created = chain.Deploy(Compile(RepositoryPaths.PathOf("contracts", "dao.c")),
            [.. Word(token).ToArray(), .. Word(VotingPeriod).ToArray(), .. Word(Delay).ToArray(), .. Word(Quorum).ToArray()]);
        Ok(chain, created);
        Address dao = created.ContractAddress!.Value;
        Ok(chain, chain.Call(token, Input(TransferSel, Word(Bob), Word(300))));
        Ok(chain, chain.Call(token, Input(Approve, Word(dao), Word(600))));
        Ok(chain, chain.Call(dao, Input(Deposit, Word(600))));
        Ok(chain, chain.Send(token, Input(Approve, Word(dao), Word(300)), 200_000, sender: Bob));
        Ok(chain, chain.Send(dao, Input(Deposit, Word(300)), 500_000, sender: Bob));
        Ok(chain, chain.Send(dao, [], 100_000, value: 1_000));
        return (chain, token, dao);
    }

    private static void Wait(ContractTestChain chain, Address dao, int blocks)
    {
        for (int i = 0; i < blocks; i++) chain.Call(dao, Input(WeightOf, Word(Alice)));
    }

    [ClangFact]
    public void A_proposal_that_wins_its_vote_executes_after_the_delay_and_weight_unlocks_after_the_vote()
    {
        (ContractTestChain chain, Address token, Address dao) = Setup();
        using (chain)
        {
            chain.Call(dao, Input(WeightOf, Word(Alice)));
            Assert.Equal(Word(600), WordAt(chain.LastOutput, 0));
            chain.Call(token, Input(BalanceOf, Word(dao)));
            Assert.Equal(Word(900), WordAt(chain.LastOutput, 0));

            Receipt proposed = chain.Call(dao, ProposeInput(Dave, 250));
            Ok(chain, proposed);
            ulong end = Timestamp + chain.BlockNumber + VotingPeriod;
            Assert.Equal(Keccak256.Compute("ProposalCreated(uint256,address)"u8), Assert.Single(proposed.Logs).Topics[0]);

            Receipt against = chain.Send(dao, Input(Vote, Word(0), Word(0)), 300_000, sender: Bob);
            Ok(chain, against);
            Assert.Equal([Word(0), Word(300)], [WordAt(Assert.Single(against.Logs).Data, 0), WordAt(against.Logs[0].Data, 1)]);
            Ok(chain, chain.Call(dao, Input(Vote, Word(0), Word(1))));
            Reverts(chain, chain.Call(dao, Input(Vote, Word(0), Word(1))), "dao: already voted");
            Reverts(chain, chain.Call(dao, Input(Execute, Word(0))), "dao: execution delay has not passed");
            Reverts(chain, chain.Call(dao, Input(Withdraw, Word(1))), "dao: weight is locked by an open vote");

            chain.Call(dao, Input(GetProposal, Word(0)));
            Assert.Equal([Word(Dave), Word(250), Word(600), Word(300), Word(end), Word(0)],
                Enumerable.Range(0, 6).Select(i => WordAt(chain.LastOutput, i)));

            while (Timestamp + chain.BlockNumber + 1 < end + Delay) Wait(chain, dao, 1);
            Receipt executed = chain.Call(dao, Input(Execute, Word(0)));
            Ok(chain, executed);
            Assert.Equal(Keccak256.Compute("ProposalExecuted(uint256)"u8), Assert.Single(executed.Logs).Topics[0]);
            Assert.Equal(new UInt256(250), chain.Balance(Dave));
            Reverts(chain, chain.Call(dao, Input(Execute, Word(0))), "dao: already executed");

            Ok(chain, chain.Call(dao, Input(Withdraw, Word(600))));
            chain.Call(token, Input(BalanceOf, Word(Alice)));
            Assert.Equal(Word(700), WordAt(chain.LastOutput, 0));
            Reverts(chain, chain.Call(dao, Input(Withdraw, Word(1))), "dao: withdrawal exceeds weight");
        }
    }

    [ClangFact]
    public void A_proposal_below_quorum_or_without_a_majority_does_not_pass()
    {
        (ContractTestChain chain, _, Address dao) = Setup();
        using (chain)
        {
            Ok(chain, chain.Send(dao, ProposeInput(Dave, 1), 500_000, sender: Bob));
            Ok(chain, chain.Send(dao, Input(Vote, Word(0), Word(1)), 300_000, sender: Bob)); // 300 for: below the quorum of 400
            Ok(chain, chain.Call(dao, ProposeInput(Dave, 2)));
            Ok(chain, chain.Send(dao, Input(Vote, Word(1), Word(1)), 300_000, sender: Bob));
            Ok(chain, chain.Call(dao, Input(Vote, Word(1), Word(0))));                       // 600 against
            Wait(chain, dao, (int)(VotingPeriod + Delay));
            Reverts(chain, chain.Send(dao, Input(Vote, Word(0), Word(1)), 300_000), "dao: voting has ended");
            Reverts(chain, chain.Call(dao, Input(Execute, Word(0))), "dao: proposal did not pass");
            Reverts(chain, chain.Call(dao, Input(Execute, Word(1))), "dao: proposal did not pass");
            Assert.True(chain.Balance(Dave).IsZero);
        }
    }

    [ClangFact]
    public void Depositing_without_an_allowance_fails_and_proposing_needs_weight()
    {
        (ContractTestChain chain, _, Address dao) = Setup();
        using (chain)
        {
            Reverts(chain, chain.Call(dao, Input(Deposit, Word(1))), "dao: token transferFrom failed");
            chain.Fund(Dave);
            Reverts(chain, chain.Send(dao, ProposeInput(Dave, 1), 500_000, sender: Dave), "dao: proposer has no weight");
        }
    }
}
