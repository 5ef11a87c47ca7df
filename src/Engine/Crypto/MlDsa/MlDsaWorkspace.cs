namespace NexusFast.Engine.Crypto.MlDsa;

/// <summary>
/// Scratch polynomials for one key generation, signature or verification, sized for the largest parameter set and
/// kept one per thread, so the operations allocate nothing after a thread's first call. Signing clears the parts
/// that held secrets before it returns.
/// </summary>
internal sealed class MlDsaWorkspace
{
    private const int N = MlDsaField.N;
    private const int KMax = MlDsaParameters.KMax;
    private const int LMax = MlDsaParameters.LMax;

    [ThreadStatic]
    private static MlDsaWorkspace? t_current;

    public readonly int[] Matrix = new int[KMax * LMax * N];
    public readonly int[] VectorL1 = new int[LMax * N]; // keygen: s1; sign: y, overwritten by z
    public readonly int[] VectorL2 = new int[LMax * N]; // keygen and sign: NTT(s1)
    public readonly int[] VectorL3 = new int[LMax * N]; // sign: NTT(y); verify: NTT(z)
    public readonly int[] VectorK1 = new int[KMax * N]; // keygen: s2
    public readonly int[] VectorK2 = new int[KMax * N]; // sign: NTT(s2); verify without a cached key: NTT(t1 * 2^d)
    public readonly int[] VectorK3 = new int[KMax * N]; // keygen: t0; sign: NTT(t0)
    public readonly int[] VectorK4 = new int[KMax * N]; // keygen: t1; sign: w, then w - cs2
    public readonly int[] VectorK5 = new int[KMax * N]; // sign: HighBits(w), then HighBits(w - cs2)
    public readonly int[] VectorK6 = new int[KMax * N]; // sign and verify: hint bits
    public readonly int[] Poly1 = new int[N];
    public readonly int[] Poly2 = new int[N];
    public readonly int[] Poly3 = new int[N];
    public readonly int[] Poly4 = new int[N];
    public readonly int[] Challenge = new int[N];
    public readonly byte[] W1Packed = new byte[KMax * 32 * 6];

    public static MlDsaWorkspace Current => t_current ??= new MlDsaWorkspace();

    public static Span<int> Poly(int[] vector, int index) => vector.AsSpan(index * N, N);

    /// <summary>Zeroes every buffer (after signing or key generation, which leave secrets in them).</summary>
    public void Clear()
    {
        Array.Clear(Matrix);
        Array.Clear(VectorL1);
        Array.Clear(VectorL2);
        Array.Clear(VectorL3);
        Array.Clear(VectorK1);
        Array.Clear(VectorK2);
        Array.Clear(VectorK3);
        Array.Clear(VectorK4);
        Array.Clear(VectorK5);
        Array.Clear(VectorK6);
        Array.Clear(Poly1);
        Array.Clear(Poly2);
        Array.Clear(Poly3);
        Array.Clear(Poly4);
        Array.Clear(Challenge);
        Array.Clear(W1Packed);
    }
}
