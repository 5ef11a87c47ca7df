namespace NexusFast.Engine.Consensus;

/// <summary>Replaces a small file so that a crash leaves the old or the new content, never a mixture.</summary>
public static class AtomicFile
{
    /// <summary>Writes a temporary file, flushes it to disk, renames it over <paramref name="path"/>.</summary>
    public static void Replace(string path, ReadOnlySpan<byte> content)
    {
        ArgumentNullException.ThrowIfNull(path);
        string temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }
        // rename(2) replaces atomically, so a process crash is covered. The directory is not fsynced (.NET refuses to
        // open a directory as a file): after a power loss right here the rename could be lost and the previous content
        // return. Known gap, shared with CometBFT's file-based privval; closing it needs an fsync(dirfd) binding.
        File.Move(temporary, path, overwrite: true);
    }
}
