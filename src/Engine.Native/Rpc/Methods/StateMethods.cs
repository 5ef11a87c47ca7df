using System.Text.Json;
using NexusFast.Engine.Chain;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.State;
using NexusFast.Native.Rpc.Json;

namespace NexusFast.Native.Rpc.Methods;

/// <summary>Account state at the head: balance, nonce, code, storage, and proofs against the state root.</summary>
internal static class StateMethods
{
    public static RpcError? GetBalance(RpcCall call, ref RpcArgs args, Utf8JsonWriter result)
    {
        args.CheckMax(2);
        Address address = args.Address(0, "address");
        BlockSelector block = args.Block(1, "block", BlockSelector.Latest);
        if (args.Failed) return args.Error;
        Account account = call.Chain.GetAccount(address, out Block head);
        if (ChainQueries.CheckStateAt(call.Chain, block, head) is { } error) return error;
        HexJson.WriteQuantity(result, account.Balance);
        return null;
    }

    /// <summary>The account nonce; with "pending", the next nonce after the sender's ready pooled transactions.</summary>
    public static RpcError? GetTransactionCount(RpcCall call, ref RpcArgs args, Utf8JsonWriter result)
    {
        args.CheckMax(2);
        Address address = args.Address(0, "address");
        BlockSelector block = args.Block(1, "block", BlockSelector.Latest);
        if (args.Failed) return args.Error;
        if (block.Tag == BlockTag.Pending)
        {
            HexJson.WriteQuantity(result, call.Chain.Pool.PendingNonce(address));
            return null;
        }
        Account account = call.Chain.GetAccount(address, out Block head);
        if (ChainQueries.CheckStateAt(call.Chain, block, head) is { } error) return error;
        HexJson.WriteQuantity(result, account.Nonce);
        return null;
    }

    /// <summary>The deployed ELF object of a contract (the bytes whose Keccak-256 is the code hash); "0x" for an account without code.</summary>
    public static RpcError? GetCode(RpcCall call, ref RpcArgs args, Utf8JsonWriter result)
    {
        args.CheckMax(2);
        Address address = args.Address(0, "address");
        BlockSelector block = args.Block(1, "block", BlockSelector.Latest);
        if (args.Failed) return args.Error;
        byte[] code = call.Chain.GetCode(address, out Block head);
        if (ChainQueries.CheckStateAt(call.Chain, block, head) is { } error) return error;
        HexJson.WriteData(result, code);
        return null;
    }

    public static RpcError? GetStorageAt(RpcCall call, ref RpcArgs args, Utf8JsonWriter result)
    {
        args.CheckMax(3);
        Address address = args.Address(0, "address");
        Hash256 slot = args.Slot(1, "slot");
        BlockSelector block = args.Block(2, "block", BlockSelector.Latest);
        if (args.Failed) return args.Error;
        Hash256 value = call.Chain.GetStorage(address, slot, out Block head);
        if (ChainQueries.CheckStateAt(call.Chain, block, head) is { } error) return error;
        HexJson.WriteHash(result, value);
        return null;
    }

    /// <summary>
    /// nexus_getProof [address, [slots], block]: eth_getProof's fields, with this chain's proofs. The state commitment is
    /// a binary sparse Merkle tree (DESIGN.md), not a hexary Patricia trie, so a proof is one byte string in the form of
    /// <see cref="AccountProof.Encode"/> / <see cref="StorageProof.Encode"/> (siblings root side first, then the terminal),
    /// checked with <see cref="StateProofVerifier"/> against "stateRoot" (the block's header) and "storageHash".
    /// </summary>
    public static RpcError? GetProof(RpcCall call, ref RpcArgs args, Utf8JsonWriter result)
    {
        args.CheckMax(3);
        Address address = args.Address(0, "address");
        Hash256[] slots = ReadSlots(call, ref args);
        BlockSelector block = args.Block(2, "block", BlockSelector.Latest);
        if (args.Failed) return args.Error;

        StateProofSet proofs = call.Chain.GetProofs(address, slots);
        if (ChainQueries.CheckStateAt(call.Chain, block, proofs.Block) is { } error) return error;

        result.WriteStartObject();
        HexJson.WriteAddress(result, "address"u8, address);
        HexJson.WriteQuantity(result, "balance"u8, proofs.Account.Balance);
        HexJson.WriteQuantity(result, "nonce"u8, proofs.Account.Nonce);
        HexJson.WriteHash(result, "codeHash"u8, proofs.Account.CodeHash);
        HexJson.WriteHash(result, "storageHash"u8, proofs.StorageRoot);
        HexJson.WriteQuantity(result, "blockNumber"u8, proofs.Block.Number);
        HexJson.WriteHash(result, "blockHash"u8, proofs.Block.Hash);
        HexJson.WriteHash(result, "stateRoot"u8, proofs.Block.Header.StateRoot);
        HexJson.WriteData(result, "accountProof"u8, proofs.AccountProof.Encode());
        result.WritePropertyName("storageProof"u8);
        result.WriteStartArray();
        for (int i = 0; i < slots.Length; i++)
        {
            result.WriteStartObject();
            HexJson.WriteHash(result, "key"u8, slots[i]);
            HexJson.WriteQuantity(result, "value"u8, proofs.StorageValues[i].ToUInt256());
            HexJson.WriteData(result, "proof"u8, proofs.StorageProofs[i].Encode());
            result.WriteEndObject();
        }
        result.WriteEndArray();
        result.WriteEndObject();
        return null;
    }

    private static Hash256[] ReadSlots(RpcCall call, ref RpcArgs args)
    {
        if (!args.TryGet(1, out Utf8JsonReader reader)) return [];
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            args.Fail(1, "slots", $"expected an array of storage keys, got {JsonValues.Describe(reader.TokenType)}");
            return [];
        }
        var slots = new List<Hash256>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (slots.Count == call.Options.ProofSlotsMax)
            {
                args.Fail(1, "slots", $"more than {call.Options.ProofSlotsMax} storage keys");
                return [];
            }
            if (!JsonValues.TrySlot(ref reader, out Hash256 slot, out string? why))
            {
                args.Fail(1, "slots", $"key {slots.Count}: {why}");
                return [];
            }
            slots.Add(slot);
        }
        return slots.ToArray();
    }
}
