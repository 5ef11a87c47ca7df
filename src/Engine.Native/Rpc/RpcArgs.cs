using System.Diagnostics.CodeAnalysis;
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

    public Address Address(int index, string name) => Required<Address>(index, name, JsonValues.TryAddress, default);

    public Hash256 Hash(int index, string name) => Required<Hash256>(index, name, JsonValues.TryHash, default);

    public Hash256 Slot(int index, string name) => Required<Hash256>(index, name, JsonValues.TrySlot, default);

    public byte[] Data(int index, string name) => Required<byte[]?>(index, name, JsonValues.TryData, []) ?? [];

    public ulong UInt64(int index, string name) => Required<ulong>(index, name, JsonValues.TryQuantity, 0);

    public UInt256 Quantity(int index, string name) => Required<UInt256>(index, name, JsonValues.TryQuantity, default);

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
    public BlockSelector RequiredBlock(int index, string name) => Required(index, name, JsonValues.TryBlock, BlockSelector.Latest);

    private delegate bool ValueReader<T>(ref Utf8JsonReader reader, out T value, [NotNullWhen(false)] out string? why);

    /// <summary>Reads a required argument; a missing or malformed one records the error and yields <paramref name="fallback"/>.</summary>
    private T Required<T>(int index, string name, ValueReader<T> read, T fallback)
    {
        if (!TryGet(index, out Utf8JsonReader reader))
        {
            Missing(index, name);
            return fallback;
        }
        if (read(ref reader, out T value, out string? why)) return value;
        Fail(index, name, why);
        return fallback;
    }
}
