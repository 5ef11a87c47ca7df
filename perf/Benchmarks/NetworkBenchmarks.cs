using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using NexusFast.Engine.Network;
using NexusFast.Engine.Primitives;

namespace NexusFast.Benchmarks;

/// <summary>
/// Cost of the peer link's per-message crypto at the sizes the network carries: a vote (200 B), a transaction
/// (1.5 KiB) and a proposal part (64 KiB). The baseline is bare AES-256-GCM encrypt + decrypt of the same
/// plaintext, so the Ratio column is what framing (length prefix, type byte, sequence nonces, copies) adds.
/// GossipHash is the duplicate filter's SHA-256 per received gossip message.
/// </summary>
[MemoryDiagnoser]
public class NetworkFrameBenchmarks
{
    private readonly byte[] _key = new byte[32];
    private byte[] _payload = [];
    private byte[] _frame = [];
    private byte[] _scratch = [];
    private byte[] _tag = new byte[16];
    private byte[] _nonce = new byte[12];
    private AesGcm _aes = null!;
    private FrameSealer _sealer = null!;
    private FrameOpener _opener = null!;

    [Params(200, 1536, 65536)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        random.NextBytes(_key);
        _payload = new byte[Size];
        random.NextBytes(_payload);
        _frame = new byte[FrameFormat.WireLength(Size)];
        _scratch = new byte[Size + 1];
        _aes = new AesGcm(_key, 16);
        _sealer = new FrameSealer(_key);
        _opener = new FrameOpener(_key);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _aes.Dispose();
        _sealer.Dispose();
        _opener.Dispose();
    }

    [Benchmark(Baseline = true)]
    public byte BareAesGcmRoundTrip()
    {
        _scratch[0] = 16;
        _payload.CopyTo(_scratch, 1);
        _aes.Encrypt(_nonce, _scratch, _scratch, _tag);
        _aes.Decrypt(_nonce, _scratch, _tag, _scratch);
        return _scratch[0];
    }

    [Benchmark]
    public bool SealAndOpen()
    {
        int length = _sealer.Seal(16, _payload, _frame);
        return _opener.TryOpen(_frame.AsSpan(0, 4), _frame.AsSpan(4, length - 4));
    }

    [Benchmark]
    public Hash256 GossipHash() => NetworkHost.GossipHashOf(16, _payload);
}

/// <summary>
/// Opening a link on loopback: TCP connect alone (baseline) against connect plus the full handshake (two ECDH
/// and key generations, a signature and a verification per side, HKDF, one sealed frame each way). The
/// difference is what a node pays per new peer, which bounds how fast it can accept a burst of connections.
/// </summary>
[MemoryDiagnoser]
public class NetworkHandshakeBenchmarks
{
    private static readonly NetworkIdentity s_network = new(1, Hash256.Zero);
    private Socket _listener = null!;
    private NodeKey _dialer = null!;
    private NodeKey _acceptor = null!;

    [GlobalSetup]
    public void Setup()
    {
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(64);
        _dialer = NodeKey.Generate();
        _acceptor = NodeKey.Generate();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _listener.Dispose();
        _dialer.Dispose();
        _acceptor.Dispose();
    }

    [Benchmark(Baseline = true)]
    public async Task ConnectOnly()
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        Task<Socket> accepting = _listener.AcceptAsync();
        await client.ConnectAsync(_listener.LocalEndPoint!);
        using Socket server = await accepting;
    }

    [Benchmark]
    public async Task ConnectAndHandshake()
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        Task<Socket> accepting = _listener.AcceptAsync();
        await client.ConnectAsync(_listener.LocalEndPoint!);
        using Socket server = await accepting;
        var clientStream = new NetworkStream(client, ownsSocket: false);
        var serverStream = new NetworkStream(server, ownsSocket: false);
        Task<HandshakeResult> dialing = Handshake.RunAsync(
            clientStream, new HandshakeParameters(_dialer, s_network, 0), isInitiator: true, _acceptor.Id, CancellationToken.None);
        Task<HandshakeResult> answering = Handshake.RunAsync(
            serverStream, new HandshakeParameters(_acceptor, s_network, 0), isInitiator: false, null, CancellationToken.None);
        (await dialing).Dispose();
        (await answering).Dispose();
    }
}
