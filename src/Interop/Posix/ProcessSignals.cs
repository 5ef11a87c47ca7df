using System.Runtime.InteropServices;

namespace NexusFast.Interop.Posix;

/// <summary>
/// Sends a signal to another process. .NET can only kill a child outright (SIGKILL); a node given SIGTERM instead
/// finishes its block in flight and checkpoints, which is what a supervisor stopping it wants.
/// </summary>
public static class ProcessSignals
{
    /// <summary>SIGTERM on Linux (signal(7)).</summary>
    public const int Terminate = 15;

    /// <summary>
    /// Sends <paramref name="signal"/> to process <paramref name="pid"/>. False when the process no longer exists
    /// (ESRCH), the one failure a supervisor expects; any other failure is an exception.
    /// </summary>
    /// <exception cref="PlatformNotSupportedException">Not on Linux.</exception>
    public static bool TrySend(int pid, int signal)
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("process signals are sent on Linux only");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pid);
        if (NativePosix.Kill(pid, signal) == 0) return true;
        int errno = Marshal.GetLastPInvokeError();
        const int NoSuchProcess = 3; // ESRCH
        if (errno == NoSuchProcess) return false;
        throw new InvalidOperationException($"kill({pid}, {signal}) failed with errno {errno}");
    }
}
