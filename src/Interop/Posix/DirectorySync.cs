using System.Runtime.InteropServices;

namespace NexusFast.Interop.Posix;

/// <summary>
/// Makes a directory's entries durable. A file written, flushed and renamed into place survives a process crash, but
/// after a power loss the rename itself may be lost unless the directory holding it is fsynced too (rename(2) changes
/// the directory, not the file). .NET has no call for it: a directory cannot be opened as a FileStream.
/// </summary>
public static class DirectorySync
{
    /// <summary>
    /// fsync(2) on <paramref name="directory"/> on Linux; elsewhere nothing (Windows cannot open a directory for flushing,
    /// and NTFS journals renames itself).
    /// </summary>
    /// <exception cref="IOException">The directory cannot be opened or flushed; the message carries errno.</exception>
    public static void Flush(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!OperatingSystem.IsLinux()) return;
        int fd = NativePosix.Open(directory, NativePosix.OpenReadOnly | NativePosix.OpenDirectory | NativePosix.OpenCloseOnExec);
        if (fd < 0) throw new IOException($"cannot open directory {directory} to flush it (errno {Marshal.GetLastPInvokeError()})");
        try
        {
            if (NativePosix.Fsync(fd) != 0) throw new IOException($"fsync of directory {directory} failed (errno {Marshal.GetLastPInvokeError()})");
        }
        finally
        {
            NativePosix.Close(fd);
        }
    }
}
