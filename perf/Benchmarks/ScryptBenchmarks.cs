using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using NexusFast.Engine.Crypto.Keys;

namespace NexusFast.Benchmarks;

/// <summary>
/// The key-derivation cost of unlocking one keystore, at the scrypt costs in use: geth's light N = 2^12, ethers'
/// default N = 2^17 and geth's standard N = 2^18 (r = 8, p = 1 each; 4 MiB, 128 MiB and 256 MiB of V). The baseline
/// is the other KDF a version 3 keystore may name, PBKDF2-HMAC-SHA256 at the Web3 Secret Storage example's
/// c = 262144 (platform OpenSSL), so the Ratio column says what scrypt costs next to it.
/// </summary>
[MemoryDiagnoser]
public class ScryptBenchmarks
{
    private readonly byte[] _key = new byte[32];
    private readonly byte[] _salt = new byte[32];

    [Params(1 << 12, 1 << 17, 1 << 18)]
    public int N { get; set; }

    [Benchmark(Baseline = true)]
    public void Pbkdf2Sha256_262144() =>
        Rfc2898DeriveBytes.Pbkdf2("correct horse battery staple"u8, _salt, _key, 262_144, HashAlgorithmName.SHA256);

    [Benchmark]
    public void ScryptR8P1() => Scrypt.DeriveKey("correct horse battery staple"u8, _salt, N, 8, 1, _key);
}
