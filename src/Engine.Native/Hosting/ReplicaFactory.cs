using NexusFast.Engine.Chain;
using NexusFast.Engine.Consensus;
using NexusFast.Engine.Consensus.Host;

namespace NexusFast.Native.Hosting;

/// <summary>The replicated application and block store a validator's consensus host runs on: the real chain.</summary>
internal static class ReplicaFactory
{
    // PENDING MERGE of branch replica (ChainReplica): this is the one place that names it.
    public static (IReplicatedApplication Application, ICommittedBlockStore Blocks) Create(Blockchain chain, ValidatorSet validators, TimeProvider time) =>
        throw new NotSupportedException("validator mode needs ChainReplica (branch replica), not merged yet");
}
