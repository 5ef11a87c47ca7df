using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Ledger;

/// <summary>One validator's precommit signature over a block (65 bytes: r || s || recovery id).</summary>
public readonly record struct CommitSignature(Address Validator, byte[] Signature);

/// <summary>
/// Proof that a block was committed: the round it was decided in and 2f+1 precommit signatures. A block header
/// carries the certificate of its parent, so the chain of headers is self-verifying.
/// </summary>
public sealed record CommitCertificate(ulong Round, CommitSignature[] Signatures)
{
    public static readonly CommitCertificate Empty = new(0, []);
}
