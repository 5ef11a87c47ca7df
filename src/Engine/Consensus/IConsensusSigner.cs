using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Consensus;

/// <summary>The validator's key, behind the double-sign guard. The consensus machine signs only through this.</summary>
public interface IConsensusSigner
{
    Address Address { get; }

    /// <summary>What was last signed (persisted), null when nothing was; a restarting machine resumes from it.</summary>
    SignerState? LastSigned { get; }

    /// <summary>
    /// The signature of <paramref name="payload"/>, or null when signing it would conflict with something signed before.
    /// <paramref name="lockRound"/>/<paramref name="lockBlock"/> are the machine's lock after this step, persisted with it.
    /// </summary>
    byte[]? TrySign(SigningPayload payload, int lockRound, Hash256 lockBlock);
}
