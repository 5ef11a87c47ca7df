using System.Buffers.Binary;

namespace NexusFast.Engine.Execution.Contracts;

/// <summary>
/// The data of a creation transaction: a 4-byte big-endian length N, the N bytes of the contract's ELF object, then
/// the constructor input (the Solidity ABI encoding of the constructor's arguments, no selector).
/// <code>
/// | N (u32, big-endian) | ELF object (N bytes) | constructor arguments (rest) |
/// </code>
/// </summary>
/// <remarks>
/// The prefix makes "object, then arguments" unambiguous without parsing the ELF, and it keeps ethers'
/// <c>ContractFactory</c> usable unchanged: its "bytecode" is the prefix and the object, to which it appends the
/// encoded constructor arguments. Described for contract authors in contracts/README.md and contracts/nexus.h.
/// </remarks>
public static class DeploymentData
{
    public const int PrefixSize = 4;

    /// <summary>Splits <paramref name="data"/>; false with a reason when the prefix is missing or names more bytes than there are.</summary>
    public static bool TrySplit(ReadOnlySpan<byte> data, out Range elf, out Range constructorInput, [NotNullWhen(false)] out string? error)
    {
        elf = default;
        constructorInput = default;
        if (data.Length < PrefixSize)
        {
            error = $"creation data is {data.Length} bytes, shorter than the {PrefixSize}-byte length prefix of the ELF object";
            return false;
        }
        uint length = BinaryPrimitives.ReadUInt32BigEndian(data);
        if (length == 0 || length > (uint)(data.Length - PrefixSize))
        {
            error = $"the length prefix says the ELF object has {length} bytes, the creation data has {data.Length - PrefixSize} after the prefix";
            return false;
        }
        elf = new Range(PrefixSize, PrefixSize + (int)length);
        constructorInput = new Range(PrefixSize + (int)length, data.Length);
        error = null;
        return true;
    }

    /// <summary>The creation data for <paramref name="elfObject"/> and ABI-encoded constructor arguments.</summary>
    public static byte[] Build(ReadOnlySpan<byte> elfObject, ReadOnlySpan<byte> constructorArguments = default)
    {
        if (elfObject.IsEmpty) throw new ArgumentException("the ELF object is empty", nameof(elfObject));
        byte[] data = new byte[PrefixSize + elfObject.Length + constructorArguments.Length];
        BinaryPrimitives.WriteUInt32BigEndian(data, (uint)elfObject.Length);
        elfObject.CopyTo(data.AsSpan(PrefixSize));
        constructorArguments.CopyTo(data.AsSpan(PrefixSize + elfObject.Length));
        return data;
    }
}
