namespace NexusFast.Engine.Crypto.Keys;

/// <summary>
/// Ethereum accounts from a BIP-39 mnemonic the way anvil, hardhat, ethers and MetaMask derive them: the BIP-39 seed,
/// the BIP-32 master key, then m/44'/60'/0'/0/i for i = 0, 1, 2, ... (BIP-44 with coin type 60).
/// </summary>
public static class EthereumHdAccounts
{
    /// <summary>The mnemonic anvil and hardhat fund by default; its account 0 is 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266.</summary>
    public const string TestMnemonic = "test test test test test test test test test test test junk";

    /// <summary>Accounts <paramref name="firstIndex"/> to <paramref name="firstIndex"/> + <paramref name="count"/> - 1.</summary>
    /// <exception cref="ArgumentException">The passphrase is not ASCII (see <see cref="Bip39"/>) or the range is out of bounds.</exception>
    /// <exception cref="System.Security.Cryptography.CryptographicException">An index gives an invalid child (probability &lt; 2^-127 each).</exception>
    public static HdAccount[] Derive(Mnemonic mnemonic, int count, string passphrase = "", int firstIndex = 0)
    {
        ArgumentNullException.ThrowIfNull(mnemonic);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegative(firstIndex);
        if ((long)firstIndex + count > KeyPath.HardenedOffset)
        {
            throw new ArgumentOutOfRangeException(nameof(count), "account numbers must stay below 2^31 (non-hardened indexes)");
        }
        using ExtendedKey master = ExtendedKey.FromMnemonic(mnemonic, passphrase);
        // The parent m/44'/60'/0'/0 is derived once; each account is then one normal child step.
        using ExtendedKey parent = master.Derive(KeyPath.EthereumAccounts);
        var accounts = new HdAccount[count];
        for (int i = 0; i < count; i++)
        {
            using ExtendedKey key = parent.DeriveChild((uint)(firstIndex + i));
            accounts[i] = new HdAccount(firstIndex + i, key.Address, key.PrivateKey.ToArray());
        }
        return accounts;
    }
}
