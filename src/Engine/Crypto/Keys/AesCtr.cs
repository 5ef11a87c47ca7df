using System.Security.Cryptography;

namespace NexusFast.Engine.Crypto.Keys;

/// <summary>
/// AES-CTR (NIST SP 800-38A, 6.5) over .NET's AES: keystream block i = AES-ECB(key, IV + i), the 16-byte counter
/// taken as one big-endian number that wraps at 2^128, which is how geth (Go's cipher.NewCTR) and ethers count.
/// Encryption and decryption are the same XOR.
/// </summary>
internal static class AesCtr
{
    public const int BlockLength = 16;

    public static void Transform(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> input, Span<byte> output)
    {
        if (iv.Length != BlockLength) throw new ArgumentException($"the counter block must be {BlockLength} bytes, got {iv.Length}", nameof(iv));
        if (output.Length != input.Length) throw new ArgumentException("output must be as long as input", nameof(output));

        using Aes aes = Aes.Create();
        aes.Key = key.ToArray();
        Span<byte> counter = stackalloc byte[BlockLength];
        Span<byte> keystream = stackalloc byte[BlockLength];
        iv.CopyTo(counter);
        try
        {
            for (int offset = 0; offset < input.Length; offset += BlockLength)
            {
                aes.EncryptEcb(counter, keystream, PaddingMode.None);
                int count = Math.Min(BlockLength, input.Length - offset);
                for (int i = 0; i < count; i++)
                {
                    output[offset + i] = (byte)(input[offset + i] ^ keystream[i]);
                }
                Increment(counter);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keystream);
        }
    }

    private static void Increment(Span<byte> counter)
    {
        for (int i = counter.Length - 1; i >= 0; i--)
        {
            if (++counter[i] != 0) return;
        }
    }
}
