using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;

namespace NexusFast.Interop.Secp256k1;

/// <summary>
/// Finds the installed libsecp256k1. Debian ships only the versioned file (libsecp256k1.so.1 in package
/// libsecp256k1-1); the unversioned libsecp256k1.so comes from the -dev package, which a node should not need,
/// so the default probing for "libsecp256k1" alone would fail on a correctly set-up machine.
/// </summary>
internal static class Secp256k1Library
{
    /// <summary>
    /// Tried in order: the Debian v0.2.x soname, the next soname (v0.3+), the -dev symlink, then the bare name
    /// through the runtime's default probing (which also covers .dylib/.dll naming on other systems).
    /// </summary>
    internal static readonly string[] CandidateNames =
        ["libsecp256k1.so.1", "libsecp256k1.so.2", "libsecp256k1.so", NativeSecp256k1.LibraryName];

    /// <summary>Loads the first candidate that the dynamic loader accepts.</summary>
    /// <exception cref="DllNotFoundException">No candidate loads; the message says what to install.</exception>
    internal static nint Load(ReadOnlySpan<string> candidateNames, Assembly assembly, DllImportSearchPath? searchPath)
    {
        foreach (string name in candidateNames)
        {
            if (NativeLibrary.TryLoad(name, assembly, searchPath, out nint handle)) return handle;
        }
        throw new DllNotFoundException(MissingLibraryMessage(candidateNames));
    }

    internal static string MissingLibraryMessage(ReadOnlySpan<string> candidateNames)
    {
        var tried = new StringBuilder();
        foreach (string name in candidateNames)
        {
            if (tried.Length > 0) tried.Append(", ");
            tried.Append('\'').Append(name).Append('\'');
        }
        return "libsecp256k1 (the secp256k1 library NexusFast uses for ECDSA signing, sender recovery and ECDH) " +
               $"could not be loaded: none of {tried} was found by the dynamic loader. " +
               "Install the runtime package with `sudo apt-get install libsecp256k1-1` (Debian/Ubuntu), " +
               "or run `./build.sh setup` from the repository root, which installs it.";
    }
}
