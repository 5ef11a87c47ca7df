using NexusFast.Engine.Chain;
using NexusFast.Engine.Consensus;
using NexusFast.Engine.Consensus.Host;

namespace NexusFast.Native.Hosting;

/// <summary>The replicated application and block store a validator's consensus host runs on: the real chain.</summary>
internal static class ReplicaFactory
{
    /// <summary>The chain is both: its block log keeps every committed block with its certificate.</summary>
    public static (IReplicatedApplication Application, ICommittedBlockStore Blocks) Create(
        Blockchain chain, ValidatorSet validators, TimeProvider time, ConsensusSignatureCache signatureCache)
    {
        var replica = new ChainReplica(chain, validators, time, signatureCache: signatureCache);
        return (replica, replica);
    }
}
