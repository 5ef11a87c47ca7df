namespace NexusFast.Engine.Ledger;

/// <summary>Which rule set <see cref="TransactionValidator"/> applies.</summary>
public enum TxValidationMode
{
    /// <summary>The rules every block must obey (<see cref="TransactionRules.CheckConsensus"/>): block import.</summary>
    Consensus,

    /// <summary>Consensus plus this node's admission policy (<see cref="TransactionRules.CheckPolicy"/>): RPC and gossip.</summary>
    Policy,
}
