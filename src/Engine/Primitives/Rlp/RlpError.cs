namespace NexusFast.Engine.Primitives.Rlp;

/// <summary>
/// Why strict RLP decoding stopped. Strict means canonical: every value has exactly one accepted encoding
/// (Yellow Paper appendix B; geth's rlp package, "non-canonical" errors), which transaction hashes rely on.
/// </summary>
public enum RlpError
{
    None = 0,

    /// <summary>The input ends where an item should start, or inside an item's header.</summary>
    UnexpectedEnd,

    /// <summary>The declared payload length runs past the end of the input or of the enclosing list.</summary>
    LengthExceedsInput,

    /// <summary>A single byte below 0x80 was wrapped as 0x81 xx; it must be encoded as itself.</summary>
    NonCanonicalSingleByte,

    /// <summary>The long form (0xb8.. / 0xf8..) was used for a payload shorter than 56 bytes.</summary>
    NonCanonicalLongForm,

    /// <summary>The length of a long-form payload starts with a zero byte.</summary>
    LeadingZeroInLength,

    /// <summary>The declared length does not fit in a 32-bit signed integer.</summary>
    LengthOverflow,

    /// <summary>A byte string was expected and a list was found.</summary>
    ExpectedString,

    /// <summary>A list was expected and a byte string was found.</summary>
    ExpectedList,

    /// <summary>An integer starts with a zero byte (zero itself is the empty string, 0x80).</summary>
    LeadingZeroInInteger,

    /// <summary>An integer has more bytes than its type holds.</summary>
    IntegerTooLarge,

    /// <summary>A fixed-size byte string (address: 20, hash: 32) has another length.</summary>
    UnexpectedLength,

    /// <summary>Bytes remain after the last expected item.</summary>
    TrailingBytes,

    /// <summary>Lists are nested deeper than the decoder allows (generic tree decoding only).</summary>
    DepthExceeded,
}
