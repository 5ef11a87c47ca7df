namespace NexusFast.Engine.Crypto.MlDsa;

/// <summary>
/// ExpandA (FIPS 204 algorithm 32): the k x l matrix A in the NTT domain from the public seed rho, entry (r, s) from
/// RejNTTPoly(rho || s || r). Row-major: entry (r, s) is polynomial r * l + s of <paramref name="matrix"/>.
/// With AVX2 or AVX-512 the SHAKE-128 instances run 4 or 8 at a time (MatrixExpansion.Lanes.cs).
/// </summary>
internal static partial class MatrixExpansion
{
    public static void Expand(MlDsaParameters parameters, ReadOnlySpan<byte> rho, Span<int> matrix)
    {
        int count = parameters.K * parameters.L;
        if (matrix.Length < count * MlDsaField.N) throw new ArgumentException("matrix buffer too short", nameof(matrix));
        if (rho.Length != 32) throw new ArgumentException("rho is 32 bytes", nameof(rho));
        if (SimdSupport.Selected == SimdPath.Avx512) ExpandLanes<KeccakLanes8>(parameters, rho, matrix);
        else if (SimdSupport.Selected == SimdPath.Avx2) ExpandLanes<KeccakLanes4>(parameters, rho, matrix);
        else ExpandScalar(parameters, rho, matrix);
    }

    internal static void ExpandScalar(MlDsaParameters parameters, ReadOnlySpan<byte> rho, Span<int> matrix)
    {
        for (int r = 0; r < parameters.K; r++)
        {
            for (int s = 0; s < parameters.L; s++)
            {
                Sampling.UniformPolynomial(rho, s, r, matrix.Slice((r * parameters.L + s) * MlDsaField.N, MlDsaField.N));
            }
        }
    }
}
