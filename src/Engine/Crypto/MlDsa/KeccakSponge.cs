using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace NexusFast.Engine.Crypto.MlDsa;

/// <summary>
/// SHAKE-128 / SHAKE-256 (FIPS 202 section 6.2), and SHA3 for HashML-DSA, as an incremental sponge on the stack: absorb any number of pieces,
/// then squeeze any number of pieces. ML-DSA needs this shape (H and G are read a block or a byte at a time by the
/// rejection samplers), which <see cref="System.Security.Cryptography.Shake128"/> offers only through OpenSSL calls
/// per piece; this one costs no call overhead and no allocation. Uses the repository's scalar Keccak-f[1600].
/// </summary>
internal struct KeccakSponge
{
    public const int Rate128 = 168;
    public const int Rate256 = 136;

    private KeccakState _state;
    // FIPS 202 domain separation plus the first padding bit: 1111 1 for SHAKE, 01 1 for SHA3.
    private const byte ShakePadding = 0x1F;
    private const byte Sha3Padding = 0x06;

    private readonly int _rate;
    private readonly byte _padding;
    private int _offset;
    private bool _squeezing;

    private KeccakSponge(int rate, byte padding)
    {
        _rate = rate;
        _padding = padding;
    }

    public static KeccakSponge Create128() => new(Rate128, ShakePadding);

    public static KeccakSponge Create256() => new(Rate256, ShakePadding);

    /// <summary>SHA3 with a digest of <paramref name="digestBytes"/> (28, 32, 48 or 64): capacity is twice the digest.</summary>
    public static KeccakSponge CreateSha3(int digestBytes) => new(200 - 2 * digestBytes, Sha3Padding);

    /// <summary>The state viewed as bytes; lanes are little-endian (checked in the static constructor of <see cref="MlDsa"/>).</summary>
    [UnscopedRef]
    private Span<byte> StateBytes => MemoryMarshal.AsBytes((Span<ulong>)_state);

    public void Absorb(ReadOnlySpan<byte> data)
    {
        if (_squeezing) throw new InvalidOperationException("SHAKE: absorb after squeeze");
        Span<byte> state = StateBytes;
        while (!data.IsEmpty)
        {
            int take = Math.Min(_rate - _offset, data.Length);
            Span<byte> target = state.Slice(_offset, take);
            for (int i = 0; i < take; i++) target[i] ^= data[i];
            _offset += take;
            data = data[take..];
            if (_offset == _rate)
            {
                KeccakF1600.Permute(_state);
                _offset = 0;
            }
        }
    }

    public void Absorb(byte value) => Absorb([value]);

    /// <summary>Pads (domain bits, then pad10*1) and switches to squeezing.</summary>
    private void Finish()
    {
        Span<byte> state = StateBytes;
        state[_offset] ^= _padding;
        state[_rate - 1] ^= 0x80;
        KeccakF1600.Permute(_state);
        _offset = 0;
        _squeezing = true;
    }

    public void Squeeze(Span<byte> output)
    {
        if (!_squeezing) Finish();
        while (!output.IsEmpty)
        {
            if (_offset == _rate)
            {
                KeccakF1600.Permute(_state);
                _offset = 0;
            }
            int take = Math.Min(_rate - _offset, output.Length);
            StateBytes.Slice(_offset, take).CopyTo(output);
            _offset += take;
            output = output[take..];
        }
    }

    /// <summary>One-shot SHAKE-256 of the concatenation of up to three pieces.</summary>
    public static void Shake256(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c, Span<byte> output)
    {
        KeccakSponge sponge = Create256();
        sponge.Absorb(a);
        sponge.Absorb(b);
        sponge.Absorb(c);
        sponge.Squeeze(output);
    }
}
