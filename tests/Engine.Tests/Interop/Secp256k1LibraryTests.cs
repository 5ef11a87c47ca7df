using NexusFast.Interop;
using NexusFast.Interop.Secp256k1;

namespace NexusFast.Engine.Tests.Interop;

public class Secp256k1LibraryTests
{
    private static readonly System.Reflection.Assembly s_interopAssembly = typeof(Secp256k1).Assembly;

    [Fact]
    public void A_missing_library_is_reported_with_the_names_tried_and_how_to_install_it()
    {
        string[] bogus = ["libnexusfast-missing-secp.so.1", "libnexusfast-missing-secp"];

        var error = Assert.Throws<DllNotFoundException>(() => Secp256k1Library.Load(bogus, s_interopAssembly, null));

        Assert.Contains("'libnexusfast-missing-secp.so.1', 'libnexusfast-missing-secp'", error.Message);
        Assert.Contains("sudo apt-get install libsecp256k1-1", error.Message);
        Assert.Contains("./build.sh setup", error.Message);
    }

    [Fact]
    public void The_installed_library_resolves_through_the_candidate_names()
    {
        nint handle = NativeLibraryResolver.Resolve(NativeSecp256k1.LibraryName, s_interopAssembly, null);
        Assert.NotEqual(0, handle);
        Assert.True(System.Runtime.InteropServices.NativeLibrary.TryGetExport(handle, "secp256k1_ecdsa_recover", out _));
    }

    [Fact]
    public void Other_library_names_are_left_to_the_default_probing()
    {
        Assert.Equal(0, NativeLibraryResolver.Resolve("libsomething-else", s_interopAssembly, null));
    }

    [Fact]
    public void Registering_the_resolver_twice_is_harmless()
    {
        NativeLibraryResolver.EnsureRegistered();
        NativeLibraryResolver.EnsureRegistered();
        Secp256k1.EnsureLoaded();
        Assert.True(Secp256k1.IsValidSecretKey(Support.Secp256k1Math.ToBytes32(1)));
    }
}
