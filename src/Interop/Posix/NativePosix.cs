using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NexusFast.Interop.Posix;

/// <summary>
/// The C library's process signals (POSIX kill(2)) and the calls that flush a directory (open(2), fsync(2), close(2)),
/// declarations only; <see cref="ProcessSignals"/> and <see cref="DirectorySync"/> wrap them.
/// </summary>
internal static partial class NativePosix
{
    /// <summary>glibc's soname: "libc.so" is a linker script that dlopen cannot load.</summary>
    internal const string LibraryName = "libc.so.6";

    /// <summary>int kill(pid_t pid, int sig): 0, or -1 with errno.</summary>
    [LibraryImport(LibraryName, EntryPoint = "kill", SetLastError = true)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int Kill(int pid, int signal);

    /// <summary>open(2) flags on Linux (asm-generic/fcntl.h; x86-64 and arm64 agree): read-only, must be a directory,
    /// closed on exec.</summary>
    internal const int OpenReadOnly = 0, OpenDirectory = 0x10000, OpenCloseOnExec = 0x80000;

    /// <summary>int open(const char *path, int flags) without O_CREAT (so no mode argument): a descriptor, or -1 with errno.</summary>
    [LibraryImport(LibraryName, EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int Open(string path, int flags);

    /// <summary>int fsync(int fd): 0, or -1 with errno.</summary>
    [LibraryImport(LibraryName, EntryPoint = "fsync", SetLastError = true)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int Fsync(int fd);

    /// <summary>int close(int fd): 0, or -1 with errno.</summary>
    [LibraryImport(LibraryName, EntryPoint = "close", SetLastError = true)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int Close(int fd);
}
