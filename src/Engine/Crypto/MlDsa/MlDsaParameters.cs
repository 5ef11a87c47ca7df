namespace NexusFast.Engine.Crypto.MlDsa;

/// <summary>
/// One ML-DSA parameter set (FIPS 204 section 4, table 1) and the encoded sizes that follow from it (table 2).
/// </summary>
public sealed class MlDsaParameters
{
    /// <summary>ML-DSA-44: NIST security category 2.</summary>
    public static readonly MlDsaParameters MlDsa44 = new("ML-DSA-44", k: 4, l: 4, eta: 2, tau: 39, lambda: 128, gamma1Bits: 17, gamma2: (MlDsaField.Q - 1) / 88, omega: 80);

    /// <summary>ML-DSA-65: NIST security category 3.</summary>
    public static readonly MlDsaParameters MlDsa65 = new("ML-DSA-65", k: 6, l: 5, eta: 4, tau: 49, lambda: 192, gamma1Bits: 19, gamma2: (MlDsaField.Q - 1) / 32, omega: 55);

    /// <summary>ML-DSA-87: NIST security category 5.</summary>
    public static readonly MlDsaParameters MlDsa87 = new("ML-DSA-87", k: 8, l: 7, eta: 2, tau: 60, lambda: 256, gamma1Bits: 19, gamma2: (MlDsaField.Q - 1) / 32, omega: 75);

    /// <summary>The largest k and l of any set: workspaces are sized for these.</summary>
    internal const int KMax = 8;
    internal const int LMax = 7;

    private MlDsaParameters(string name, int k, int l, int eta, int tau, int lambda, int gamma1Bits, int gamma2, int omega)
    {
        Name = name;
        K = k;
        L = l;
        Eta = eta;
        Tau = tau;
        Lambda = lambda;
        Gamma1 = 1 << gamma1Bits;
        Gamma1Bits = gamma1Bits;
        Gamma2 = gamma2;
        Omega = omega;
        Beta = tau * eta;
        EtaBits = eta == 2 ? 3 : 4;
        W1Bits = gamma2 == (MlDsaField.Q - 1) / 88 ? 6 : 4;
        CommitmentHashSize = lambda / 4;
        PublicKeySize = 32 + k * 320;
        SecretKeySize = 32 + 32 + 64 + (l + k) * 32 * EtaBits + k * 32 * MlDsaField.D;
        SignatureSize = CommitmentHashSize + l * 32 * (gamma1Bits + 1) + omega + k;
    }

    public string Name { get; }

    /// <summary>Rows of the matrix A (the length of t, s2, w).</summary>
    public int K { get; }

    /// <summary>Columns of the matrix A (the length of s1, y, z).</summary>
    public int L { get; }

    /// <summary>Bound on the secret coefficients of s1 and s2.</summary>
    public int Eta { get; }

    /// <summary>Number of nonzero (+-1) coefficients of the challenge polynomial c.</summary>
    public int Tau { get; }

    /// <summary>Collision strength of the commitment hash c~, in bits.</summary>
    public int Lambda { get; }

    /// <summary>Range of the masking vector y: coefficients in (-gamma1, gamma1].</summary>
    public int Gamma1 { get; }

    internal int Gamma1Bits { get; }

    /// <summary>Low-order rounding range of Decompose.</summary>
    public int Gamma2 { get; }

    /// <summary>Maximum number of 1s in the hint h.</summary>
    public int Omega { get; }

    /// <summary>tau * eta: the largest coefficient of c*s1 or c*s2.</summary>
    public int Beta { get; }

    /// <summary>Bits per coefficient of s1 and s2 in the secret key (bitlen(2 eta)).</summary>
    internal int EtaBits { get; }

    /// <summary>Bits per coefficient of w1 in w1Encode (bitlen((q-1)/(2 gamma2) - 1)).</summary>
    internal int W1Bits { get; }

    /// <summary>Bytes of c~ (lambda / 4).</summary>
    public int CommitmentHashSize { get; }

    public int PublicKeySize { get; }
    public int SecretKeySize { get; }
    public int SignatureSize { get; }

    /// <summary>Bytes of one packed z polynomial (20 or 18 bits per coefficient).</summary>
    internal int PackedZSize => 32 * (Gamma1Bits + 1);

    /// <summary>Bytes of one packed w1 polynomial.</summary>
    internal int PackedW1Size => 32 * W1Bits;

    /// <summary>Bytes of one packed s1/s2 polynomial.</summary>
    internal int PackedEtaSize => 32 * EtaBits;

    public override string ToString() => Name;
}
