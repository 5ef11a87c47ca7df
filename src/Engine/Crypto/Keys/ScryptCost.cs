namespace NexusFast.Engine.Crypto.Keys;

/// <summary>scrypt's cost parameters N (CPU/memory cost), r (block size) and p (parallelism), as a keystore records them.</summary>
public readonly record struct ScryptCost(long N, long R, long P)
{
    /// <summary>geth's StandardScryptN/P: N = 2^18, r = 8, p = 1 (256 MiB, about a second); the default for real keys.</summary>
    public static ScryptCost Standard => new(1 << 18, 8, 1);

    /// <summary>
    /// N = 2^12, r = 8, p = 1: geth's LightScryptN (geth pairs it with p = 6; p = 1 keeps it fast). For tests and
    /// devnet keys only: it costs an attacker about 64 times less than <see cref="Standard"/>.
    /// </summary>
    public static ScryptCost Light => new(1 << 12, 8, 1);

    /// <summary>What ethers' Wallet.encrypt writes by default: N = 2^17, r = 8, p = 1.</summary>
    public static ScryptCost Ethers => new(1 << 17, 8, 1);
}

/// <summary>The outcome of <see cref="Scrypt.CheckParameters"/>.</summary>
public enum ScryptParameterCheck
{
    Valid,

    /// <summary>Breaks RFC 7914 (N not a power of two above 1, r or p not positive, r·p ≥ 2^30, bad dkLen).</summary>
    Invalid,

    /// <summary>Allowed by the RFC, but above the memory or work bound.</summary>
    TooExpensive,
}
