namespace NexusFast.Engine.Crypto.Keys;

/// <summary>
/// What the 32 secret bytes of a keystore are. A v3 keystore without a "scheme" field is secp256k1, as every Ethereum
/// tool writes it; ML-DSA keystores say "scheme": "ml-dsa-65" and hold the FIPS 204 key-generation seed (xi), from
/// which the key pair is derived again on every use, so the file stays as small as an Ethereum one.
/// </summary>
public enum KeyScheme
{
    Secp256k1,
    MlDsa65,
}

public static class KeySchemeNames
{
    public const string Secp256k1 = "secp256k1";
    public const string MlDsa65 = "ml-dsa-65";

    public static string Name(this KeyScheme scheme) => scheme == KeyScheme.MlDsa65 ? MlDsa65 : Secp256k1;

    public static bool TryParse(string? text, out KeyScheme scheme)
    {
        switch (text?.ToLowerInvariant())
        {
            case Secp256k1:
                scheme = KeyScheme.Secp256k1;
                return true;
            case MlDsa65:
                scheme = KeyScheme.MlDsa65;
                return true;
            default:
                scheme = KeyScheme.Secp256k1;
                return false;
        }
    }
}
