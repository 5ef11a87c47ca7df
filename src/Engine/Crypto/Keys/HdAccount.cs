using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Crypto.Keys;

/// <summary>One account of an HD wallet: its number i on m/44'/60'/0'/0/i, its address and its 32-byte secret key.</summary>
public sealed record HdAccount(int Index, Address Address, byte[] PrivateKey);
