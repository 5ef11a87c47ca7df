namespace NexusFast.Engine.Crypto.MlDsa;

/// <summary>
/// Twiddle tables for the SIMD NTTs. A vector of W lanes (8 for AVX2, 16 for AVX-512) handles the levels whose
/// butterflies span at least W coefficients directly, with one broadcast twiddle per block. The levels below that stay
/// inside a group of W consecutive coefficients, so the SIMD code transposes W x W tiles: afterwards vector c holds
/// coefficient c of W different groups, one group per lane, and those levels become vector-against-vector butterflies
/// whose twiddles differ per lane. These tables hold those per-lane twiddles.
/// </summary>
/// <remarks>
/// Layout: for level len = W/2, W/4, ..., 1 (forward order; the inverse walks the same levels upwards), block h of a
/// group (h = 0 .. W/(2 len) - 1) and tile t (t = 0 .. 256/W^2 - 1), one vector of W lanes; lane i belongs to group
/// g = t W + i and holds the twiddle of FIPS 204 algorithm 41 (forward) or 42 (inverse) for block h of group g:
/// m = 128/len + g W/(2 len) + h, forward zeta = Zetas[m], inverse zeta = -Zetas[256/len - 1 - (g W/(2 len) + h)].
/// Next to each twiddle vector is its product with q^-1 mod 2^32, which the Montgomery multiply needs.
/// </remarks>
internal static partial class Ntt
{
    internal sealed class LaneTwiddles
    {
        public LaneTwiddles(int width, bool inverse)
        {
            Width = width;
            Tiles = MlDsaField.N / (width * width);
            var values = new List<int>();
            for (int len = width / 2; len >= 1; len >>= 1)
            {
                int blocksPerGroup = width / (2 * len);
                for (int h = 0; h < blocksPerGroup; h++)
                {
                    for (int tile = 0; tile < Tiles; tile++)
                    {
                        var zetas = new int[width];
                        for (int lane = 0; lane < width; lane++)
                        {
                            int group = tile * width + lane;
                            int block = group * blocksPerGroup + h;
                            zetas[lane] = inverse ? -Zetas[256 / len - 1 - block] : Zetas[128 / len + block];
                        }
                        values.AddRange(zetas);
                        foreach (int zeta in zetas) values.Add(zeta * MlDsaField.QInverse);
                    }
                }
            }
            Values = [.. values];
        }

        public int Width { get; }

        public int Tiles { get; }

        /// <summary>Pairs of (twiddles, twiddles * q^-1) vectors in the order of the remarks above.</summary>
        public int[] Values { get; }

        /// <summary>Offset of the twiddle vector for (level len, block h, tile); the q^-1 vector follows it.</summary>
        public int Offset(int len, int h, int tile)
        {
            int offset = 0;
            for (int level = Width / 2; level > len; level >>= 1) offset += Width / (2 * level) * Tiles * 2 * Width;
            return offset + (h * Tiles + tile) * 2 * Width;
        }
    }

    internal static readonly LaneTwiddles s_forward8 = new(8, inverse: false);
    internal static readonly LaneTwiddles s_inverse8 = new(8, inverse: true);
    internal static readonly LaneTwiddles s_forward16 = new(16, inverse: false);
    internal static readonly LaneTwiddles s_inverse16 = new(16, inverse: true);
}
