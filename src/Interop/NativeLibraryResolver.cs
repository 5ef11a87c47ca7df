using System.Reflection;
using System.Runtime.InteropServices;
using NexusFast.Interop.Secp256k1;

namespace NexusFast.Interop;

/// <summary>
/// The one DllImport resolver of this assembly. .NET allows a single resolver per assembly
/// (NativeLibrary.SetDllImportResolver throws on a second call), so every native library bound here is
/// dispatched from <see cref="Resolve"/> by its import name.
/// </summary>
internal static class NativeLibraryResolver
{
    private static int s_registered;

    /// <summary>Registers the resolver once per process; safe to call from any thread, any number of times.</summary>
    internal static void EnsureRegistered()
    {
        if (Volatile.Read(ref s_registered) != 0) return;
        if (Interlocked.CompareExchange(ref s_registered, 1, 0) != 0) return;
        // No reflection: the assembly comes from a type token, which Native AOT keeps.
        NativeLibrary.SetDllImportResolver(typeof(NativeLibraryResolver).Assembly, Resolve);
    }

    /// <summary>
    /// Returns the handle for the import name, or zero for names this assembly does not map (zero lets the
    /// runtime's default probing run).
    /// </summary>
    internal static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName switch
        {
            NativeSecp256k1.LibraryName => Secp256k1Library.Load(Secp256k1Library.CandidateNames, assembly, searchPath),
            _ => 0,
        };
}
