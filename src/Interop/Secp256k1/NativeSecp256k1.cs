using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NexusFast.Interop.Secp256k1;

/// <summary>
/// The libsecp256k1 v0.2.0 C API (include/secp256k1.h, secp256k1_recovery.h, secp256k1_ecdh.h), declarations
/// only. Every call goes through <see cref="Secp256k1"/>, which validates lengths and checks every return code.
/// The opaque structs (secp256k1_pubkey, secp256k1_ecdsa_signature, secp256k1_ecdsa_recoverable_signature) are
/// passed as byte buffers of the sizes the headers guarantee.
/// </summary>
internal static unsafe partial class NativeSecp256k1
{
    /// <summary>The name every import uses; <see cref="Secp256k1Library"/> maps it to the installed file.</summary>
    internal const string LibraryName = "libsecp256k1";

    /// <summary>SECP256K1_CONTEXT_NONE = SECP256K1_FLAGS_TYPE_CONTEXT = 1 &lt;&lt; 0 (secp256k1.h, v0.2.0).</summary>
    internal const uint ContextNone = 1;

    /// <summary>SECP256K1_EC_COMPRESSED = SECP256K1_FLAGS_TYPE_COMPRESSION | SECP256K1_FLAGS_BIT_COMPRESSION.</summary>
    internal const uint EcCompressed = (1 << 1) | (1 << 8);

    /// <summary>SECP256K1_EC_UNCOMPRESSED = SECP256K1_FLAGS_TYPE_COMPRESSION.</summary>
    internal const uint EcUncompressed = 1 << 1;

    /// <summary>sizeof(secp256k1_pubkey): "guaranteed to be 64 bytes in size".</summary>
    internal const int PublicKeyStructSize = 64;

    /// <summary>sizeof(secp256k1_ecdsa_signature): "guaranteed to be 64 bytes in size".</summary>
    internal const int SignatureStructSize = 64;

    /// <summary>sizeof(secp256k1_ecdsa_recoverable_signature): "guaranteed to be 65 bytes in size".</summary>
    internal const int RecoverableSignatureStructSize = 65;

    // ---- context -------------------------------------------------------------------------------------------

    [LibraryImport(LibraryName, EntryPoint = "secp256k1_context_create")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial nint ContextCreate(uint flags);

    [LibraryImport(LibraryName, EntryPoint = "secp256k1_context_destroy")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial void ContextDestroy(nint context);

    [LibraryImport(LibraryName, EntryPoint = "secp256k1_context_randomize")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int ContextRandomize(nint context, byte* seed32);

    [LibraryImport(LibraryName, EntryPoint = "secp256k1_context_set_illegal_callback")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial void ContextSetIllegalCallback(
        nint context, delegate* unmanaged[Cdecl]<byte*, void*, void> callback, void* data);

    [LibraryImport(LibraryName, EntryPoint = "secp256k1_context_set_error_callback")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial void ContextSetErrorCallback(
        nint context, delegate* unmanaged[Cdecl]<byte*, void*, void> callback, void* data);

    // ---- keys ----------------------------------------------------------------------------------------------

    [LibraryImport(LibraryName, EntryPoint = "secp256k1_ec_seckey_verify")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int SecretKeyVerify(nint context, byte* secret32);

    [LibraryImport(LibraryName, EntryPoint = "secp256k1_ec_pubkey_create")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int PublicKeyCreate(nint context, byte* publicKey, byte* secret32);

    [LibraryImport(LibraryName, EntryPoint = "secp256k1_ec_pubkey_parse")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int PublicKeyParse(nint context, byte* publicKey, byte* input, nuint inputLength);

    [LibraryImport(LibraryName, EntryPoint = "secp256k1_ec_pubkey_serialize")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int PublicKeySerialize(
        nint context, byte* output, nuint* outputLength, byte* publicKey, uint flags);

    [LibraryImport(LibraryName, EntryPoint = "secp256k1_ec_seckey_tweak_add")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int SecretKeyTweakAdd(nint context, byte* secret32, byte* tweak32);

    [LibraryImport(LibraryName, EntryPoint = "secp256k1_ec_pubkey_tweak_add")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int PublicKeyTweakAdd(nint context, byte* publicKey, byte* tweak32);

    // ---- ECDSA ---------------------------------------------------------------------------------------------

    [LibraryImport(LibraryName, EntryPoint = "secp256k1_ecdsa_signature_parse_compact")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int SignatureParseCompact(nint context, byte* signature, byte* input64);

    [LibraryImport(LibraryName, EntryPoint = "secp256k1_ecdsa_signature_serialize_compact")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int SignatureSerializeCompact(nint context, byte* output64, byte* signature);

    [LibraryImport(LibraryName, EntryPoint = "secp256k1_ecdsa_sign")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int Sign(
        nint context, byte* signature, byte* messageHash32, byte* secret32, nint nonceFunction, void* nonceData);

    [LibraryImport(LibraryName, EntryPoint = "secp256k1_ecdsa_verify")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int Verify(nint context, byte* signature, byte* messageHash32, byte* publicKey);

    // ---- recovery module -----------------------------------------------------------------------------------

    [LibraryImport(LibraryName, EntryPoint = "secp256k1_ecdsa_recoverable_signature_parse_compact")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int RecoverableSignatureParseCompact(
        nint context, byte* signature, byte* input64, int recoveryId);

    [LibraryImport(LibraryName, EntryPoint = "secp256k1_ecdsa_recoverable_signature_serialize_compact")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int RecoverableSignatureSerializeCompact(
        nint context, byte* output64, int* recoveryId, byte* signature);

    [LibraryImport(LibraryName, EntryPoint = "secp256k1_ecdsa_sign_recoverable")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int SignRecoverable(
        nint context, byte* signature, byte* messageHash32, byte* secret32, nint nonceFunction, void* nonceData);

    [LibraryImport(LibraryName, EntryPoint = "secp256k1_ecdsa_recover")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int Recover(nint context, byte* publicKey, byte* signature, byte* messageHash32);

    // ---- ECDH module ---------------------------------------------------------------------------------------

    [LibraryImport(LibraryName, EntryPoint = "secp256k1_ecdh")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int Ecdh(
        nint context,
        byte* output,
        byte* publicKey,
        byte* secret32,
        delegate* unmanaged[Cdecl]<byte*, byte*, byte*, void*, int> hashFunction,
        void* data);
}
