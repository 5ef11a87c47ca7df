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

    /// <summary>
    /// Nexus: EIP-1559 fee fields, signed with ML-DSA-65 (FIPS 204) instead of secp256k1; see
    /// <see cref="MlDsaTransactions"/> for the layout. 0x4E ('N') lies in the EIP-2718 type range (below 0x7f) but far
    /// from what Ethereum has assigned (0x00-0x04, and the next EIPs count up from there) and from the 0x7E that OP Stack
    /// rollups use for deposits, so a Nexus transaction is never mistaken for one of theirs, nor theirs for ours.
    /// </summary>
    MlDsa = 0x4E,
}
