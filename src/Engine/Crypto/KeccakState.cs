using System.Runtime.CompilerServices;

namespace NexusFast.Engine.Crypto;

/// <summary>The 1600-bit Keccak state as 25 little-endian lanes, held inline so a sponge lives on the stack.</summary>
[InlineArray(KeccakF1600.StateLanes)]
internal struct KeccakState
{
    private ulong _lane0;
}
