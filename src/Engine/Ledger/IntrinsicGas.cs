namespace NexusFast.Engine.Ledger;

/// <summary>
/// Gas charged before execution, exactly as Ethereum computes it (Yellow Paper g0 with EIP-2028 calldata,
/// EIP-2930 access lists and EIP-3860 init code), so that wallet estimates are right; plus, for the Nexus ML-DSA type
/// only, what its larger signature costs (the ML-DSA constants below are the one place those numbers live).
/// </summary>
/// <remarks>
/// ML-DSA-65 (type 0x4E), on top of the Ethereum formula:
/// <list type="bullet">
/// <item>every signature byte at <see cref="MlDsaWitnessByte"/> (3,309 * 16 = 52,944 gas): the bytes are random, so
/// they cost what nonzero calldata costs (EIP-2028), every block and every node storing them pays alike;</item>
/// <item>a fixed <see cref="MlDsaVerification"/> of 6,000: twice the 3,000 of Ethereum's ecrecover precompile. The
/// AVX2 C reference verifies ML-DSA-65 about 30,000 times a second on one core of this machine (issue 7), the order of a
/// libsecp256k1 recovery; our managed verifier targets half that speed, hence the factor two;</item>
/// <item>when the envelope carries the public key: every key byte at <see cref="MlDsaWitnessByte"/> (1,952 * 16 =
/// 31,232) and <see cref="MlDsaKeyRegistration"/> of 20,000, the price of one fresh storage slot (EIP-2200 SSTORE_SET),
/// for the record the chain keeps so that later transactions can send only the key hash.</item>
/// </list>
/// A hash-form transfer therefore needs 79,944 gas, one that carries the key 131,176.
/// </remarks>
public static class IntrinsicGas
{
    public const ulong Transaction = 21_000;
    public const ulong ContractCreation = 53_000;
    public const ulong ZeroByte = 4;
    public const ulong NonZeroByte = 16;
    public const ulong AccessListAddress = 2_400;
    public const ulong AccessListStorageKey = 1_900;
    public const ulong InitCodeWord = 2;

    public const ulong MlDsaWitnessByte = 16;
    public const ulong MlDsaVerification = 6_000;
    public const ulong MlDsaKeyRegistration = 20_000;

    public static ulong Compute(Transaction tx)
    {
        ulong gas = Compute(tx.Data.Span, tx.IsContractCreation, tx.AccessList);
        if (tx.Type == TxType.MlDsa) gas += MlDsaSurcharge(tx.MlDsaKeyEmbedded);
        return gas;
    }

    /// <summary>What an ML-DSA transaction pays beyond an EIP-1559 one with the same fields (see remarks).</summary>
    public static ulong MlDsaSurcharge(bool carriesPublicKey)
    {
        ulong gas = (MlDsaWitnessByte * MlDsaTransactions.SignatureSize) + MlDsaVerification;
        if (carriesPublicKey) gas += (MlDsaWitnessByte * MlDsaTransactions.PublicKeySize) + MlDsaKeyRegistration;
        return gas;
    }

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
