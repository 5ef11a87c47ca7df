namespace NexusFast.Engine.Ledger;

/// <summary>
/// Gas charged before execution, exactly as Ethereum computes it (Yellow Paper g0 with EIP-2028 calldata,
/// EIP-2930 access lists and EIP-3860 init code), so that wallet estimates are right.
/// </summary>
public static class IntrinsicGas
{
    public const ulong Transaction = 21_000;
    public const ulong ContractCreation = 53_000;
    public const ulong ZeroByte = 4;
    public const ulong NonZeroByte = 16;
    public const ulong AccessListAddress = 2_400;
    public const ulong AccessListStorageKey = 1_900;
    public const ulong InitCodeWord = 2;

    public static ulong Compute(Transaction tx) => Compute(tx.Data.Span, tx.IsContractCreation, tx.AccessList);

    public static ulong Compute(ReadOnlySpan<byte> data, bool isContractCreation, AccessListEntry[] accessList)
    {
        ulong gas = isContractCreation ? ContractCreation : Transaction;

        ulong zeros = (ulong)data.Count((byte)0);
        ulong nonZeros = (ulong)data.Length - zeros;
        gas += (zeros * ZeroByte) + (nonZeros * NonZeroByte);

        if (isContractCreation)
        {
            // EIP-3860: 2 gas per 32-byte word of init code.
            gas += InitCodeWord * (((ulong)data.Length + 31) / 32);
        }

        foreach (AccessListEntry entry in accessList)
        {
            gas += AccessListAddress + (AccessListStorageKey * (ulong)entry.StorageKeys.Length);
        }
        return gas;
    }
}
