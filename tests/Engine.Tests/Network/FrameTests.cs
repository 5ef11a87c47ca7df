using System.Buffers.Binary;
using System.Security.Cryptography;
using NexusFast.Engine.Network;

namespace NexusFast.Engine.Tests.Network;

public class FrameTests
{
    private static (FrameSealer Sealer, FrameOpener Opener) Pair(byte keyByte = 0x11)
    {
        byte[] key = Enumerable.Repeat(keyByte, FrameFormat.KeySize).ToArray();
        return (new FrameSealer(key), new FrameOpener(key));
    }

    private static byte[] Payload(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static bool TryOpen(FrameOpener opener, byte[] frame, out byte type, out byte[] payload)
    {
        byte[] copy = (byte[])frame.Clone();
        bool ok = opener.TryOpen(copy.AsSpan(0, 4), copy.AsSpan(4));
        type = ok ? copy[4] : (byte)0;
        payload = ok ? copy.AsSpan(5, copy.Length - 5 - FrameFormat.TagSize).ToArray() : [];
        return ok;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(1000)]
    [InlineData(70_000)]
    public void A_sealed_frame_opens_to_its_type_and_payload_and_has_the_documented_layout(int length)
    {
        (FrameSealer sealer, FrameOpener opener) = Pair();
        byte[] payload = Payload(length, length);
        byte[] frame = new byte[FrameFormat.WireLength(length)];

        Assert.Equal(frame.Length, sealer.Seal(42, payload, frame));
        Assert.Equal((uint)(1 + length + 16), BinaryPrimitives.ReadUInt32BigEndian(frame));
        // The payload is not visible in the sealed bytes (it is encrypted, not only authenticated).
        if (length >= 16) Assert.False(frame.AsSpan(5).IndexOf(payload.AsSpan(0, 16)) >= 0);

        Assert.True(TryOpen(opener, frame, out byte type, out byte[] opened));
        Assert.Equal(42, type);
        Assert.Equal(payload, opened);
        Assert.Equal(1UL, opener.Sequence);
    }

    [Fact]
    public void Flipping_any_single_bit_of_a_frame_makes_it_fail_to_open()
    {
        (FrameSealer sealer, _) = Pair();
        byte[] frame = new byte[FrameFormat.WireLength(40)];
        sealer.Seal(20, Payload(40, 1), frame);
        for (int bit = 0; bit < frame.Length * 8; bit++)
        {
            (_, FrameOpener opener) = Pair();
            byte[] tampered = (byte[])frame.Clone();
            tampered[bit / 8] ^= (byte)(1 << (bit % 8));
            // A changed length byte would misframe on a stream; here the body keeps its size, so it is the
            // associated data (the length) that fails authentication.
            Assert.False(TryOpen(opener, tampered, out _, out _), $"bit {bit} flipped and the frame still opened");
            Assert.Equal(0UL, opener.Sequence);
        }
    }

    [Fact]
    public void A_replayed_frame_fails_and_so_does_a_reordered_one()
    {
        (FrameSealer sealer, FrameOpener opener) = Pair();
        byte[] first = new byte[FrameFormat.WireLength(3)];
        byte[] second = new byte[FrameFormat.WireLength(3)];
        sealer.Seal(16, [1, 2, 3], first);
        sealer.Seal(16, [4, 5, 6], second);

        (_, FrameOpener reorderedOpener) = Pair();
        Assert.False(TryOpen(reorderedOpener, second, out _, out _));

        Assert.True(TryOpen(opener, first, out _, out _));
        Assert.False(TryOpen(opener, first, out _, out _));
        Assert.True(TryOpen(opener, second, out _, out byte[] payload));
        Assert.Equal([4, 5, 6], payload);
        Assert.False(TryOpen(opener, second, out _, out _));
    }

    [Fact]
    public void A_frame_sealed_under_another_key_fails_to_open()
    {
        (FrameSealer sealer, _) = Pair(0x11);
        (_, FrameOpener opener) = Pair(0x12);
        byte[] frame = new byte[FrameFormat.WireLength(5)];
        sealer.Seal(16, [1, 2, 3, 4, 5], frame);
        Assert.False(TryOpen(opener, frame, out _, out _));
    }

    [Fact]
    public async Task The_reader_refuses_an_oversized_length_prefix_before_reading_or_allocating_the_body()
    {
        (_, FrameOpener opener) = Pair();
        // A 4-byte prefix announcing 1 GiB and no body at all: the reader must answer from the prefix alone.
        var stream = new MemoryStream([0x40, 0x00, 0x00, 0x00]);
        using var reader = new FrameReader(stream, opener, payloadLengthMax: 1024);
        FrameReadResult result = await reader.ReadAsync(CancellationToken.None);
        Assert.Equal(FrameStatus.TooLarge, result.Status);
        Assert.Equal(0x4000_0000, result.BodyLength);
    }

    [Fact]
    public async Task The_reader_reads_consecutive_frames_and_reports_a_short_body_and_a_clean_end()
    {
        (FrameSealer sealer, FrameOpener opener) = Pair();
        var wire = new MemoryStream();
        foreach (int length in new[] { 0, 10, 3000 })
        {
            byte[] frame = new byte[FrameFormat.WireLength(length)];
            sealer.Seal((byte)(16 + length % 7), Payload(length, length), frame);
            wire.Write(frame);
        }
        wire.Write([0, 0, 0, 5]); // below the 17-byte minimum body
        wire.Position = 0;
        using var reader = new FrameReader(wire, opener, payloadLengthMax: 4096);
        foreach (int length in new[] { 0, 10, 3000 })
        {
            FrameReadResult frame = await reader.ReadAsync(CancellationToken.None);
            Assert.Equal(FrameStatus.Ok, frame.Status);
            Assert.Equal(16 + length % 7, frame.Type);
            Assert.Equal(Payload(length, length), frame.Payload.ToArray());
        }
        Assert.Equal(FrameStatus.TooSmall, (await reader.ReadAsync(CancellationToken.None)).Status);

        using var empty = new FrameReader(new MemoryStream([0, 0]), opener, 4096);
        Assert.Equal(FrameStatus.EndOfStream, (await empty.ReadAsync(CancellationToken.None)).Status);
    }

    [Fact]
    public void Gossip_hashes_separate_types_and_payloads()
    {
        Assert.Equal(NetworkHost.GossipHashOf(16, [1, 2]), NetworkHost.GossipHashOf(16, [1, 2]));
        Assert.NotEqual(NetworkHost.GossipHashOf(16, [1, 2]), NetworkHost.GossipHashOf(17, [1, 2]));
        Assert.NotEqual(NetworkHost.GossipHashOf(16, [1, 2]), NetworkHost.GossipHashOf(16, [1, 3]));
        Assert.Equal(SHA256.HashData([16, .. SHA256.HashData(new byte[] { 1, 2 })]), NetworkHost.GossipHashOf(16, [1, 2]).ToArray());
    }
}
