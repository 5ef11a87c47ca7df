using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace NexusFast.Engine.Crypto.Keys;

/// <summary>
/// scrypt (RFC 7914): B = PBKDF2-HMAC-SHA256(P, S, 1, p·128·r); each of the p blocks goes through ROMix with cost N;
/// DK = PBKDF2-HMAC-SHA256(P, B, 1, dkLen). Managed code over uint spans: one allocation for V (128·r·N bytes), one
/// for B, none per block, and every buffer holding password-derived data is wiped before returning.
/// </summary>
/// <remarks>
/// Untrusted parameters (a keystore file from anyone) could otherwise demand gigabytes or hours, so besides the RFC's
/// rules (N a power of two above 1, r·p &lt; 2^30) memory and work are bounded: 128·r·N and 128·r·p each at most
/// <c>memoryBytesMax</c> (default <see cref="MemoryBytesMaxDefault"/>, which is exactly what geth's standard
/// N = 2^18, r = 8 needs), and N·r·p at most <see cref="WorkMax"/>.
/// </remarks>
public static partial class Scrypt
{
    /// <summary>256 MiB: the V array of geth's standard keystore parameters (N = 262144, r = 8).</summary>
    public const long MemoryBytesMaxDefault = 256L * 1024 * 1024;

    /// <summary>N·r·p at most 2^24, eight times geth's standard 2^18 · 8 · 1: bounds the time one derivation takes.</summary>
    public const long WorkMax = 1L << 24;

    /// <summary>RFC 7914 section 2: dkLen ≤ (2^32 − 1) · 32; far larger than any key, but stated for completeness.</summary>
    public const long DerivedKeyLengthMax = (1L << 32) - 1 << 5;

    private const int BlockWords = 16; // one Salsa20/8 block: 64 bytes

    /// <summary>
    /// Writes scrypt(password, salt, N, r, p) to <paramref name="derivedKey"/> (its length is dkLen).
    /// </summary>
    /// <exception cref="ArgumentException">A parameter breaks RFC 7914 or the bounds above; the message says which.</exception>
    public static void DeriveKey(
        ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, long n, long r, long p, Span<byte> derivedKey,
        long memoryBytesMax = MemoryBytesMaxDefault)
    {
        if (CheckParameters(n, r, p, derivedKey.Length, memoryBytesMax, out string? error) != ScryptParameterCheck.Valid)
        {
            throw new ArgumentException(error);
        }

        int blockWords = 32 * (int)r;              // 128·r bytes
        int cost = (int)n;
        uint[] b = new uint[blockWords * (int)p];
        uint[] v = GC.AllocateUninitializedArray<uint>(checked(blockWords * cost));
        uint[] scratch = new uint[2 * blockWords + BlockWords];
        Span<byte> bBytes = MemoryMarshal.AsBytes(b.AsSpan());
        try
        {
            Rfc2898DeriveBytes.Pbkdf2(password, salt, bBytes, 1, HashAlgorithmName.SHA256);
            for (int i = 0; i < (int)p; i++)
            {
                RoMix(b.AsSpan(i * blockWords, blockWords), v, cost, scratch);
            }
            Rfc2898DeriveBytes.Pbkdf2(password, bBytes, derivedKey, 1, HashAlgorithmName.SHA256);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bBytes);
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(v.AsSpan()));
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(scratch.AsSpan()));
        }
    }

    /// <summary>Whether (N, r, p, dkLen) satisfy RFC 7914 and, if so, the memory and work bounds; a precise error when not.</summary>
    public static ScryptParameterCheck CheckParameters(long n, long r, long p, long derivedKeyLength, long memoryBytesMax, out string? error)
    {
        if (n <= 1 || !BitOperations.IsPow2(n))
        {
            error = $"scrypt N must be a power of two greater than 1, got {n}";
            return ScryptParameterCheck.Invalid;
        }
        if (r < 1 || p < 1)
        {
            error = $"scrypt r and p must be positive, got r = {r}, p = {p}";
            return ScryptParameterCheck.Invalid;
        }
        if (r * p >= 1L << 30)
        {
            error = $"scrypt r·p must be below 2^30 (RFC 7914), got {r}·{p}";
            return ScryptParameterCheck.Invalid;
        }
        if (derivedKeyLength < 1 || derivedKeyLength > DerivedKeyLengthMax)
        {
            error = $"scrypt dkLen must be 1 to (2^32 - 1)·32 bytes, got {derivedKeyLength}";
            return ScryptParameterCheck.Invalid;
        }
        if (128 * r > memoryBytesMax / n || 128 * r > memoryBytesMax / p)
        {
            error = $"scrypt N = {n}, r = {r}, p = {p} needs {FormatBytes(128.0 * r * Math.Max(n, p))} of memory, above the " +
                $"limit of {FormatBytes(memoryBytesMax)}";
            return ScryptParameterCheck.TooExpensive;
        }
        if (32 * r > Array.MaxLength / n)
        {
            error = $"scrypt N = {n}, r = {r} is too large for this implementation (128·r·N bytes in one array)";
            return ScryptParameterCheck.TooExpensive;
        }
        if (n > WorkMax / r / p)
        {
            error = $"scrypt N·r·p = {n}·{r}·{p} is above the work limit of 2^24 (eight times the geth standard 2^18·8·1)";
            return ScryptParameterCheck.TooExpensive;
        }
        error = null;
        return ScryptParameterCheck.Valid;
    }

    /// <summary>RFC 7914 section 5: X = B; V[i] = X, X = BlockMix(X) for i &lt; N; then N times X = BlockMix(X xor V[Integerify(X) mod N]).</summary>
    private static void RoMix(Span<uint> block, Span<uint> v, int n, Span<uint> scratch)
    {
        int blockWords = block.Length;
        Span<uint> x = scratch[..blockWords];
        Span<uint> y = scratch.Slice(blockWords, blockWords);
        Span<uint> salsa = scratch.Slice(2 * blockWords, BlockWords);

        // The 128·r bytes are 32·r little-endian words (RFC 7914 section 4); on a big-endian machine they would need
        // swapping, which .NET's supported platforms here never are.
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("scrypt here assumes a little-endian machine");
        block.CopyTo(x);
        for (int i = 0; i < n; i++)
        {
            x.CopyTo(v.Slice(i * blockWords, blockWords));
            BlockMix(x, y, salsa);
            Swap(ref x, ref y);
        }
        int mask = n - 1;
        for (int i = 0; i < n; i++)
        {
            // Integerify: the first word of the last 64-byte block; N ≤ 2^31 so its low 32 bits suffice for mod N.
            int j = (int)(x[blockWords - BlockWords] & (uint)mask);
            Xor(x, v.Slice(j * blockWords, blockWords));
            BlockMix(x, y, salsa);
            Swap(ref x, ref y);
        }
        x.CopyTo(block);
    }

    /// <summary>
    /// RFC 7914 section 4: X = last 64-byte block; for each block i, X = Salsa20/8(X xor B[i]), Y[i] = X; output the
    /// even-numbered Y blocks, then the odd-numbered ones.
    /// </summary>
    private static void BlockMix(ReadOnlySpan<uint> input, Span<uint> output, Span<uint> x)
    {
        int blocks = input.Length / BlockWords; // 2·r
        int r = blocks / 2;
        input[^BlockWords..].CopyTo(x);
        for (int i = 0; i < blocks; i++)
        {
            int target = (i >> 1) + ((i & 1) * r);
            XorSalsa20Core(x, input.Slice(i * BlockWords, BlockWords), output.Slice(target * BlockWords, BlockWords));
        }
    }

    /// <summary>Salsa20/8 core (RFC 7914 section 3) of <paramref name="b"/>, in place.</summary>
    internal static void Salsa20Core(Span<uint> b) => XorSalsa20Core(b, ZeroBlock, b);

    /// <summary>
    /// x := Salsa20/8(x xor block), also written to <paramref name="output"/>: BlockMix's step with the XOR and the
    /// copy folded into the core's loads and stores (one pass over the words instead of three). Salsa20/8 is four
    /// double rounds of the Salsa20 quarter-rounds, then the input added word by word.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void XorSalsa20Core(Span<uint> x, ReadOnlySpan<uint> block, Span<uint> output)
    {
        x = x[..BlockWords];
        block = block[..BlockWords];
        output = output[..BlockWords];
        uint j0 = x[0] ^ block[0], j1 = x[1] ^ block[1], j2 = x[2] ^ block[2], j3 = x[3] ^ block[3];
        uint j4 = x[4] ^ block[4], j5 = x[5] ^ block[5], j6 = x[6] ^ block[6], j7 = x[7] ^ block[7];
        uint j8 = x[8] ^ block[8], j9 = x[9] ^ block[9], j10 = x[10] ^ block[10], j11 = x[11] ^ block[11];
        uint j12 = x[12] ^ block[12], j13 = x[13] ^ block[13], j14 = x[14] ^ block[14], j15 = x[15] ^ block[15];
        uint x0 = j0, x1 = j1, x2 = j2, x3 = j3, x4 = j4, x5 = j5, x6 = j6, x7 = j7;
        uint x8 = j8, x9 = j9, x10 = j10, x11 = j11, x12 = j12, x13 = j13, x14 = j14, x15 = j15;
        for (int round = 0; round < 8; round += 2)
        {
            // Columns.
            x4 ^= BitOperations.RotateLeft(x0 + x12, 7); x8 ^= BitOperations.RotateLeft(x4 + x0, 9);
            x12 ^= BitOperations.RotateLeft(x8 + x4, 13); x0 ^= BitOperations.RotateLeft(x12 + x8, 18);
            x9 ^= BitOperations.RotateLeft(x5 + x1, 7); x13 ^= BitOperations.RotateLeft(x9 + x5, 9);
            x1 ^= BitOperations.RotateLeft(x13 + x9, 13); x5 ^= BitOperations.RotateLeft(x1 + x13, 18);
            x14 ^= BitOperations.RotateLeft(x10 + x6, 7); x2 ^= BitOperations.RotateLeft(x14 + x10, 9);
            x6 ^= BitOperations.RotateLeft(x2 + x14, 13); x10 ^= BitOperations.RotateLeft(x6 + x2, 18);
            x3 ^= BitOperations.RotateLeft(x15 + x11, 7); x7 ^= BitOperations.RotateLeft(x3 + x15, 9);
            x11 ^= BitOperations.RotateLeft(x7 + x3, 13); x15 ^= BitOperations.RotateLeft(x11 + x7, 18);
            // Rows.
            x1 ^= BitOperations.RotateLeft(x0 + x3, 7); x2 ^= BitOperations.RotateLeft(x1 + x0, 9);
            x3 ^= BitOperations.RotateLeft(x2 + x1, 13); x0 ^= BitOperations.RotateLeft(x3 + x2, 18);
            x6 ^= BitOperations.RotateLeft(x5 + x4, 7); x7 ^= BitOperations.RotateLeft(x6 + x5, 9);
            x4 ^= BitOperations.RotateLeft(x7 + x6, 13); x5 ^= BitOperations.RotateLeft(x4 + x7, 18);
            x11 ^= BitOperations.RotateLeft(x10 + x9, 7); x8 ^= BitOperations.RotateLeft(x11 + x10, 9);
            x9 ^= BitOperations.RotateLeft(x8 + x11, 13); x10 ^= BitOperations.RotateLeft(x9 + x8, 18);
            x12 ^= BitOperations.RotateLeft(x15 + x14, 7); x13 ^= BitOperations.RotateLeft(x12 + x15, 9);
            x14 ^= BitOperations.RotateLeft(x13 + x12, 13); x15 ^= BitOperations.RotateLeft(x14 + x13, 18);
        }
        x[0] = output[0] = x0 + j0; x[1] = output[1] = x1 + j1; x[2] = output[2] = x2 + j2; x[3] = output[3] = x3 + j3;
        x[4] = output[4] = x4 + j4; x[5] = output[5] = x5 + j5; x[6] = output[6] = x6 + j6; x[7] = output[7] = x7 + j7;
        x[8] = output[8] = x8 + j8; x[9] = output[9] = x9 + j9; x[10] = output[10] = x10 + j10; x[11] = output[11] = x11 + j11;
        x[12] = output[12] = x12 + j12; x[13] = output[13] = x13 + j13; x[14] = output[14] = x14 + j14; x[15] = output[15] = x15 + j15;
    }

    private static ReadOnlySpan<uint> ZeroBlock => [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    private static void Xor(Span<uint> destination, ReadOnlySpan<uint> source)
    {
        Span<ulong> d = MemoryMarshal.Cast<uint, ulong>(destination);
        ReadOnlySpan<ulong> s = MemoryMarshal.Cast<uint, ulong>(source);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            Span<Vector<ulong>> dv = MemoryMarshal.Cast<ulong, Vector<ulong>>(d);
            ReadOnlySpan<Vector<ulong>> sv = MemoryMarshal.Cast<ulong, Vector<ulong>>(s);
            for (int k = 0; k < dv.Length; k++) dv[k] ^= sv[k];
            i = dv.Length * Vector<ulong>.Count;
        }
        for (; i < d.Length; i++) d[i] ^= s[i];
    }

    private static void Swap(ref Span<uint> a, ref Span<uint> b)
    {
        Span<uint> t = a;
        a = b;
        b = t;
    }

    private static string FormatBytes(double bytes) =>
        bytes >= 1024 * 1024 ? $"{bytes / (1024.0 * 1024):0.#} MiB" : $"{bytes:0} bytes";
}
