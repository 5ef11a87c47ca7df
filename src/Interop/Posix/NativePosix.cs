using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NexusFast.Interop.Posix;

/// <summary>The C library's process signals (POSIX kill(2)), declarations only; <see cref="ProcessSignals"/> wraps them.</summary>
internal static partial class NativePosix
{
    /// <summary>glibc's soname: "libc.so" is a linker script that dlopen cannot load.</summary>
    internal const string LibraryName = "libc.so.6";

    /// <summary>int kill(pid_t pid, int sig): 0, or -1 with errno.</summary>
    [LibraryImport(LibraryName, EntryPoint = "kill", SetLastError = true)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int Kill(int pid, int signal);
}
