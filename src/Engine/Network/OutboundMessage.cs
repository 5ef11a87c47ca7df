namespace NexusFast.Engine.Network;

/// <summary>A queued message. The payload is shared, not copied, among the links a broadcast goes to.</summary>
internal readonly record struct OutboundMessage(byte Type, ReadOnlyMemory<byte> Payload);
