using System.Text.Json;
using NexusFast.Engine.Primitives;
using NexusFast.Native.Rpc.Json;

namespace NexusFast.Native.Rpc;

/// <summary>
/// The positional parameters of one call, read on demand from the request's own bytes (nothing is materialised).
/// Readers record the first problem in <see cref="Error"/> and return a default, so a handler reads all its parameters
/// and then checks once; messages name the parameter and say why, as "invalid argument 1 (block): ...".
/// An absent params member, or JSON null, is an empty list; a JSON null element counts as absent (geth does the same).
/// </summary>
internal ref struct RpcArgs
{
    internal static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64, CommentHandling = JsonCommentHandling.Disallow };

    private readonly ReadOnlySpan<byte> _json;

    /// <param name="paramsArray">The params array's JSON text, or empty for no parameters.</param>
    public RpcArgs(ReadOnlySpan<byte> paramsArray)
    {
        _json = paramsArray;
        Error = null;
        Count = 0;
        if (paramsArray.IsEmpty) return;
        var reader = new Utf8JsonReader(paramsArray, ReaderOptions);
        reader.Read();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            Count++;
            reader.Skip();
        }
    }

    public int Count { get; }

    public RpcError? Error { get; private set; }

    public readonly bool Failed => Error is not null;

    /// <summary>Refuses more than <paramref name="max"/> parameters, as geth does ("too many arguments, want at most N").</summary>
    public bool CheckMax(int max)
    {
        if (Count <= max) return true;
        Error ??= new RpcError(RpcError.InvalidParams, $"too many arguments, want at most {max}");
        return false;
    }

    /// <summary>Positions a reader on element <paramref name="index"/>; false when absent or JSON null.</summary>
    public readonly bool TryGet(int index, out Utf8JsonReader element)
    {
        element = default;
        if (index >= Count) return false;
        var reader = new Utf8JsonReader(_json, ReaderOptions);
        reader.Read();
        for (int i = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; i++)
        {
            if (i == index)
            {
                element = reader;
                return reader.TokenType != JsonTokenType.Null;
            }
            reader.Skip();
        }
        return false;
    }

    public readonly bool Has(int index) => TryGet(index, out _);

    public void Fail(int index, string name, string why) =>
        Error ??= new RpcError(RpcError.InvalidParams, $"invalid argument {index} ({name}): {why}");

    public void Missing(int index, string name) =>
        Error ??= new RpcError(RpcError.InvalidParams, $"missing value for required argument {index} ({name})");

    public Address Address(int index, string name)
    {
        if (!TryGet(index, out Utf8JsonReader reader))
        {
            Missing(index, name);
            return default;
        }
        if (!JsonValues.TryAddress(ref reader, out Address value, out string? why)) Fail(index, name, why);
        return value;
    }

    public Hash256 Hash(int index, string name)
    {
        if (!TryGet(index, out Utf8JsonReader reader))
        {
            Missing(index, name);
            return default;
        }
        if (!JsonValues.TryHash(ref reader, out Hash256 value, out string? why)) Fail(index, name, why);
        return value;
    }

    public Hash256 Slot(int index, string name)
    {
        if (!TryGet(index, out Utf8JsonReader reader))
        {
            Missing(index, name);
            return default;
        }
        if (!JsonValues.TrySlot(ref reader, out Hash256 value, out string? why)) Fail(index, name, why);
        return value;
    }

    public byte[] Data(int index, string name)
    {
        if (!TryGet(index, out Utf8JsonReader reader))
        {
            Missing(index, name);
            return [];
        }
        if (!JsonValues.TryData(ref reader, out byte[]? value, out string? why))
        {
            Fail(index, name, why);
            return [];
        }
        return value;
    }

    public ulong UInt64(int index, string name)
    {
        if (!TryGet(index, out Utf8JsonReader reader))
        {
            Missing(index, name);
            return 0;
        }
        if (!JsonValues.TryQuantity(ref reader, out ulong value, out string? why)) Fail(index, name, why);
        return value;
    }

    public UInt256 Quantity(int index, string name)
    {
        if (!TryGet(index, out Utf8JsonReader reader))
        {
            Missing(index, name);
            return default;
        }
        if (!JsonValues.TryQuantity(ref reader, out UInt256 value, out string? why)) Fail(index, name, why);
        return value;
    }

    public bool Bool(int index, string name, bool fallback)
    {
        if (!TryGet(index, out Utf8JsonReader reader)) return fallback;
        if (!JsonValues.TryBool(ref reader, out bool value, out string? why)) Fail(index, name, why);
        return value;
    }

    public BlockSelector Block(int index, string name, BlockSelector fallback)
    {
        if (!TryGet(index, out Utf8JsonReader reader)) return fallback;
        if (!JsonValues.TryBlock(ref reader, out BlockSelector value, out string? why)) Fail(index, name, why);
        return value;
    }

    /// <summary>A required block parameter (eth_getBlockByNumber, eth_feeHistory).</summary>
    public BlockSelector RequiredBlock(int index, string name)
    {
        if (!TryGet(index, out Utf8JsonReader reader))
        {
            Missing(index, name);
            return BlockSelector.Latest;
        }
        if (!JsonValues.TryBlock(ref reader, out BlockSelector value, out string? why)) Fail(index, name, why);
        return value;
    }
}
