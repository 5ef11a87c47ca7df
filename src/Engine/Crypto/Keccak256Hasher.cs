using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Crypto;

/// <summary>
/// Incremental Keccak-256 for input that arrives in pieces (for example RLP written header first, fields after),
/// giving the same digest as <see cref="Keccak256.Hash"/> over the concatenation. A mutable struct of about
/// 340 bytes: keep it in a local or a field and pass it by <c>ref</c>; a copy hashes independently of the original.
/// <c>default</c> is a fresh hasher.
/// </summary>
public struct Keccak256Hasher
{
    private KeccakState _state;
    private KeccakBlock _pending;
    private int _pendingLength;

    /// <summary>Absorbs <paramref name="data"/>; only a tail shorter than the rate is copied aside.</summary>
    public void Update(ReadOnlySpan<byte> data)
    {
        Span<ulong> lanes = _state;
        Span<byte> pending = _pending;

        if (_pendingLength > 0)
        {
            int take = Math.Min(Keccak256.RateBytes - _pendingLength, data.Length);
            data.Slice(0, take).CopyTo(pending.Slice(_pendingLength));
            _pendingLength += take;
            data = data.Slice(take);
            if (_pendingLength < Keccak256.RateBytes) return;

            Keccak256.AbsorbBlock(lanes, pending);
            KeccakF1600.Permute(lanes);
            _pendingLength = 0;
        }

        while (data.Length >= Keccak256.RateBytes)
        {
            Keccak256.AbsorbBlock(lanes, data);
            KeccakF1600.Permute(lanes);
            data = data.Slice(Keccak256.RateBytes);
        }

        data.CopyTo(pending);
        _pendingLength = data.Length;
    }

    /// <summary>Pads, writes the 32-byte digest to <paramref name="output32"/> and resets the hasher for reuse.</summary>
    public void Finish(Span<byte> output32)
    {
        if (output32.Length < Keccak256.HashLength) Keccak256.ThrowOutputTooShort(output32.Length);

        Span<ulong> lanes = _state;
        Keccak256.AbsorbFinalBlock(lanes, ((ReadOnlySpan<byte>)_pending).Slice(0, _pendingLength));
        KeccakF1600.Permute(lanes);
        Keccak256.Squeeze(lanes, output32);
        Reset();
    }

    /// <summary>Pads and returns the digest, then resets the hasher for reuse.</summary>
    public Hash256 Finish()
    {
        Span<byte> digest = stackalloc byte[Keccak256.HashLength];
        Finish(digest);
        return new Hash256(digest);
    }

    /// <summary>Forgets all input absorbed so far.</summary>
    public void Reset() => this = default;
}
