namespace NexusFast.Engine.Crypto.MlDsa;

/// <summary>
/// ExpandA (FIPS 204 algorithm 32): the k x l matrix A in the NTT domain from the public seed rho, entry (r, s) from
/// RejNTTPoly(rho || s || r). Row-major: entry (r, s) is polynomial r * l + s of <paramref name="matrix"/>.
/// </summary>
internal static partial class MatrixExpansion
{
    public static void Expand(MlDsaParameters parameters, ReadOnlySpan<byte> rho, Span<int> matrix)
    {
        int count = parameters.K * parameters.L;
        if (matrix.Length < count * MlDsaField.N) throw new ArgumentException("matrix buffer too short", nameof(matrix));
        ExpandScalar(parameters, rho, matrix);
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
