using System.Buffers.Binary;

namespace NexusFast.Engine.Crypto.MlDsa;

/// <summary>
/// Several SHAKE instances side by side in the lanes of <typeparamref name="TLanes"/>, for ML-DSA's many short hashes
/// of the form H(seed || two counter bytes): ExpandA (SHAKE-128, seed rho), ExpandS and ExpandMask (SHAKE-256, seeds
/// rho' and rho''). The whole input fits in one block, so absorbing is writing one padded block per lane; then blocks
/// are squeezed for every lane at once. The state is interleaved: lane j of instance i at j * Width + i.
/// </summary>
internal static class MultiLaneShake<TLanes>
    where TLanes : struct, IKeccakLanes
{
    /// <summary>
    /// Resets <paramref name="state"/> to the instances seed || counter_i (counter as two little-endian bytes), absorbed
    /// and padded for <paramref name="rate"/> (SHAKE domain bits), ready to squeeze. Lanes past the counters' length
    /// repeat the last counter.
    /// </summary>
    public static void Start(Span<ulong> state, int rate, ReadOnlySpan<byte> seed, ReadOnlySpan<int> counters)
    {
        int width = TLanes.Width;
        Span<byte> block = stackalloc byte[KeccakSponge.Rate128];
        block = block[..rate];
        state.Clear();
        for (int i = 0; i < width; i++)
        {
            int counter = counters[Math.Min(i, counters.Length - 1)];
            block.Clear();
            seed.CopyTo(block);
            block[seed.Length] = (byte)counter;
            block[seed.Length + 1] = (byte)(counter >> 8);
            block[seed.Length + 2] ^= 0x1F;
            block[rate - 1] ^= 0x80;
            for (int lane = 0; lane < rate / 8; lane++) state[lane * width + i] = BinaryPrimitives.ReadUInt64LittleEndian(block[(8 * lane)..]);
        }
        block.Clear();
    }

    /// <summary>
    /// Squeezes <paramref name="blocks"/> blocks from every instance: instance i's bytes go to
    /// output[i * stride + offset ..], one block after another.
    /// </summary>
    public static void Squeeze(Span<ulong> state, int rate, Span<byte> output, int stride, int offset, int blocks)
    {
        int width = TLanes.Width;
        for (int block = 0; block < blocks; block++, offset += rate)
        {
            TLanes.Permute(state);
            for (int lane = 0; lane < rate / 8; lane++)
            {
                for (int i = 0; i < width; i++)
                {
                    BinaryPrimitives.WriteUInt64LittleEndian(output[(i * stride + offset + 8 * lane)..], state[lane * width + i]);
                }
            }
        }
    }
}
