namespace NexusFast.Engine.Primitives.Rlp;

/// <summary>
/// Thrown by the convenience (non-Try) members of <see cref="RlpReader"/> and <see cref="RlpItem"/>. Carries the
/// error and the offset of the offending item in the original input so that a rejected transaction can say exactly
/// what is wrong and where.
/// </summary>
public sealed class RlpException : FormatException
{
    public RlpException(RlpError error, int offset, string reading)
        : base($"invalid RLP at offset {offset} reading {reading}: {Describe(error)}")
    {
        Error = error;
        Offset = offset;
    }

    public RlpError Error { get; }

    /// <summary>Offset of the item (its first header byte) in the input the outermost reader was made over.</summary>
    public int Offset { get; }

    public static string Describe(RlpError error) => error switch
    {
        RlpError.None => "no error",
        RlpError.UnexpectedEnd => "input ends where an item or its header should continue",
        RlpError.LengthExceedsInput => "declared length runs past the end of the input or the enclosing list",
        RlpError.NonCanonicalSingleByte => "a single byte below 0x80 must be encoded as itself, not behind 0x81",
        RlpError.NonCanonicalLongForm => "long-form length used for a payload shorter than 56 bytes",
        RlpError.LeadingZeroInLength => "long-form length has a leading zero byte",
        RlpError.LengthOverflow => "declared length does not fit in 32 bits",
        RlpError.ExpectedString => "expected a byte string, found a list",
        RlpError.ExpectedList => "expected a list, found a byte string",
        RlpError.LeadingZeroInInteger => "integer has a leading zero byte (zero is the empty string 0x80)",
        RlpError.IntegerTooLarge => "integer is longer than its type",
        RlpError.UnexpectedLength => "byte string has the wrong length for its type",
        RlpError.TrailingBytes => "unexpected bytes after the last item",
        RlpError.DepthExceeded => "lists are nested too deeply",
        _ => $"error {(int)error}",
    };
}
