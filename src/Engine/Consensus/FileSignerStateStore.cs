namespace NexusFast.Engine.Consensus;

/// <summary>
/// A signer state file replaced atomically: write a temporary file, flush it to disk, rename it over the old one. A
/// crash leaves either the old or the new state, never a mixture; the checksum in <see cref="SignerState"/> catches
/// anything else (a disk that lies).
/// </summary>
public sealed class FileSignerStateStore(string path) : ISignerStateStore
{
    public string Path { get; } = path ?? throw new ArgumentNullException(nameof(path));

    public SignerState? Load() => File.Exists(Path) ? SignerState.Decode(File.ReadAllBytes(Path)) : null;

    public void Save(SignerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        string temporary = Path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(state.Encode());
            stream.Flush(flushToDisk: true);
        }
        // rename(2) replaces atomically, so a process crash is covered. The directory is not fsynced (.NET refuses to
        // open a directory as a file): after a power loss right here the rename could be lost and the previous state
        // return. Known gap, shared with CometBFT's file-based privval; closing it needs an fsync(dirfd) binding.
        File.Move(temporary, Path, overwrite: true);
    }
}
