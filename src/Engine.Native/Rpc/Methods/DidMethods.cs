using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using NexusFast.Engine.Chain;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using NexusFast.Native.Rpc.Json;

namespace NexusFast.Native.Rpc.Methods;

/// <summary>
/// nexus_resolveDid [did, registry]: resolves <c>did:nexus:&lt;address&gt;</c> against a registry deployed from
/// contracts/did.c into a W3C DID resolution result (didDocument, didDocumentMetadata, didResolutionMetadata).
/// </summary>
/// <remarks>
/// The document is read from the registry's view functions at the head, as eth_call would: the controller becomes the
/// one verification method (EcdsaSecp256k1RecoveryMethod2020 with a CAIP-10 <c>eip155:&lt;chain id&gt;:&lt;address&gt;</c>
/// account id), used for authentication and assertion; every attribute named <c>svc/&lt;type&gt;</c> becomes a service of
/// that type with the attribute's UTF-8 value as its endpoint (other attributes are not part of the document). A
/// deactivated identity resolves to a document with its id only and <c>deactivated: true</c>, as DID Core 7.1.3 asks.
/// </remarks>
internal static class DidMethods
{
    private const string Prefix = "did:nexus:";
    private const uint ControllerOf = 0xd3a2b210, IsDeactivated = 0xa0d721b6, AttributeCount = 0xf3553a07,
        AttributeNameAt = 0xd101b147, GetAttribute = 0x163f6691;
    private const int MaxAttributes = 64;

    public static RpcError? Resolve(RpcCall call, ref RpcArgs args, Utf8JsonWriter result)
    {
        args.CheckMax(2);
        string? did = null;
        if (!args.TryGet(0, out Utf8JsonReader reader)) args.Missing(0, "did");
        else if (reader.TokenType != JsonTokenType.String) args.Fail(0, "did", "expected a string");
        else did = reader.GetString();
        Address registry = args.Address(1, "registry");
        if (args.Failed) return args.Error;
        if (!did!.StartsWith(Prefix, StringComparison.Ordinal))
            return new RpcError(RpcError.InvalidParams, "invalid argument 0 (did): expected did:nexus:0x followed by 40 hex digits");
        if (!Address.TryParse(did.AsSpan(Prefix.Length), out Address identity, out string? why))
            return new RpcError(RpcError.InvalidParams, $"invalid argument 0 (did): the address after did:nexus: is invalid ({why})");
        string id = Prefix + identity;

        Blockchain chain = call.Chain;
        if (!chain.GetAccount(registry, out _).HasCode) return RpcError.Server($"{registry} is not a contract");
        if (Read(chain, registry, Input(IsDeactivated, identity)) is not { } deactivatedWord) return NotARegistry(registry);
        bool deactivated = deactivatedWord[31] != 0;
        if (Read(chain, registry, Input(ControllerOf, identity)) is not { } controllerWord) return NotARegistry(registry);
        var controller = new Address(controllerWord.AsSpan(12, 20));
        var services = new List<(string Type, string Endpoint)>();
        if (!deactivated)
        {
            if (Read(chain, registry, Input(AttributeCount, identity)) is not { } countWord) return NotARegistry(registry);
            ulong count = Math.Min(BinaryPrimitives.ReadUInt64BigEndian(countWord.AsSpan(24)), MaxAttributes);
            for (ulong i = 0; i < count; i++)
            {
                if (Read(chain, registry, Input(AttributeNameAt, identity, Hash256.FromUInt256(new UInt256(i)))) is not { } name) return NotARegistry(registry);
                string nameText = Encoding.UTF8.GetString(name.AsSpan(0, 32).TrimEnd((byte)0));
                if (!nameText.StartsWith("svc/", StringComparison.Ordinal)) continue;
                if (Read(chain, registry, Input(GetAttribute, identity, new Hash256(name.AsSpan(0, 32)))) is not { } value
                    || value.Length < 64) return NotARegistry(registry);
                int length = (int)Math.Min(BinaryPrimitives.ReadUInt64BigEndian(value.AsSpan(56)), (ulong)(value.Length - 64));
                services.Add((nameText["svc/".Length..], Encoding.UTF8.GetString(value, 64, length)));
            }
        }

        result.WriteStartObject();
        result.WritePropertyName("didDocument"u8);
        result.WriteStartObject();
        result.WriteStartArray("@context"u8);
        result.WriteStringValue("https://www.w3.org/ns/did/v1"u8);
        if (!deactivated) result.WriteStringValue("https://w3id.org/security/suites/secp256k1recovery-2020/v2"u8);
        result.WriteEndArray();
        result.WriteString("id"u8, id);
        if (!deactivated)
        {
            string method = id + "#controller";
            result.WriteString("controller"u8, Prefix + controller);
            result.WriteStartArray("verificationMethod"u8);
            result.WriteStartObject();
            result.WriteString("id"u8, method);
            result.WriteString("type"u8, "EcdsaSecp256k1RecoveryMethod2020"u8);
            result.WriteString("controller"u8, id);
            result.WriteString("blockchainAccountId"u8, $"eip155:{chain.Config.ChainId}:{controller}");
            result.WriteEndObject();
            result.WriteEndArray();
            result.WriteStartArray("authentication"u8);
            result.WriteStringValue(method);
            result.WriteEndArray();
            result.WriteStartArray("assertionMethod"u8);
            result.WriteStringValue(method);
            result.WriteEndArray();
            result.WriteStartArray("service"u8);
            for (int i = 0; i < services.Count; i++)
            {
                result.WriteStartObject();
                result.WriteString("id"u8, $"{id}#service-{i}");
                result.WriteString("type"u8, services[i].Type);
                result.WriteString("serviceEndpoint"u8, services[i].Endpoint);
                result.WriteEndObject();
            }
            result.WriteEndArray();
        }
        result.WriteEndObject();
        result.WritePropertyName("didDocumentMetadata"u8);
        result.WriteStartObject();
        result.WriteBoolean("deactivated"u8, deactivated);
        result.WriteEndObject();
        result.WritePropertyName("didResolutionMetadata"u8);
        result.WriteStartObject();
        result.WriteString("contentType"u8, "application/did+ld+json"u8);
        result.WriteEndObject();
        result.WriteEndObject();
        return null;
    }

    private static RpcError NotARegistry(Address registry) =>
        RpcError.Server($"{registry} does not answer as a did:nexus registry (contracts/did.c)");

    private static byte[] Input(uint selector, Address identity, Hash256? second = null)
    {
        byte[] data = new byte[second is null ? 36 : 68];
        BinaryPrimitives.WriteUInt32BigEndian(data, selector);
        identity.CopyTo(data.AsSpan(16));
        second?.CopyTo(data.AsSpan(36));
        return data;
    }

    /// <summary>A read-only call at the head (a zero-fee simulation from the zero address); null unless it succeeded with at least one word.</summary>
    private static byte[]? Read(Blockchain chain, Address registry, byte[] input)
    {
        var tx = new Transaction
        {
            Type = TxType.Legacy,
            ChainId = chain.Config.ChainId,
            Nonce = chain.GetAccount(Address.Zero, out _).Nonce,
            GasLimit = chain.Config.BlockGasLimit,
            To = registry,
            Data = input,
            Sender = Address.Zero,
            HasSender = true,
        };
        TxError error = chain.SimulateTransaction(tx, chargeBaseFee: false, out Receipt receipt, out _, out byte[] output, out _);
        return error == TxError.None && receipt.Success && output.Length >= 32 ? output : null;
    }
}
