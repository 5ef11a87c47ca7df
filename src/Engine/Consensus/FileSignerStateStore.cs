namespace NexusFast.Engine.Consensus;

/// <summary>
/// A signer state file replaced atomically (<see cref="AtomicFile"/>). The checksum in <see cref="SignerState"/> catches a
/// file that is neither the old nor the new state (a disk that lies), and the signer then refuses to start.
/// </summary>
public sealed class FileSignerStateStore(string path) : ISignerStateStore
{
    public string Path { get; } = path ?? throw new ArgumentNullException(nameof(path));

    public SignerState? Load() => File.Exists(Path) ? SignerState.Decode(File.ReadAllBytes(Path)) : null;

    public void Save(SignerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        AtomicFile.Replace(Path, state.Encode());
    }
}
