namespace NexusFast.Engine.Ledger;

/// <summary>EIP-2718 transaction types the chain accepts.</summary>
public enum TxType : byte
{
    /// <summary>Pre-2718 RLP list; EIP-155 replay protection in v.</summary>
    Legacy = 0,

    /// <summary>EIP-2930: chain id and access list, gasPrice pricing.</summary>
    AccessList = 1,

    /// <summary>EIP-1559: max fee and max priority fee per gas.</summary>
    DynamicFee = 2,
}
