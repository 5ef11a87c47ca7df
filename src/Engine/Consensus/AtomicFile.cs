using NexusFast.Interop.Posix;

namespace NexusFast.Engine.Consensus;

/// <summary>Replaces a small file so that a crash leaves the old or the new content, never a mixture.</summary>
public static class AtomicFile
{
    /// <summary>Writes a temporary file, flushes it to disk, renames it over <paramref name="path"/>, flushes the directory.</summary>
    public static void Replace(string path, ReadOnlySpan<byte> content)
    {
        ArgumentNullException.ThrowIfNull(path);
        string temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }
        // rename(2) replaces atomically, so a process crash leaves the old or the new file; the directory's fsync makes
        // the rename itself survive a power loss (without it the previous content could come back).
        File.Move(temporary, path, overwrite: true);
        DirectorySync.Flush(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }
}
