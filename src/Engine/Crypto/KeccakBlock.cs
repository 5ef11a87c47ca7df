using System.Runtime.CompilerServices;

namespace NexusFast.Engine.Crypto;

/// <summary>One rate-sized block of pending input for <see cref="Keccak256Hasher"/>, held inline.</summary>
[InlineArray(Keccak256.RateBytes)]
internal struct KeccakBlock
{
    private byte _byte0;
}
