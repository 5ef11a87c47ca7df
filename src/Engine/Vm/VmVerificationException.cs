namespace NexusFast.Engine.Vm;

/// <summary>A program was refused at deployment: <see cref="Index"/> is the instruction slot at fault (-1 for the program
/// as a whole, such as an empty one), <see cref="Reason"/> says what is wrong with it.</summary>
public sealed class VmVerificationException : Exception
{
    public VmVerificationException(int index, string reason)
        : base(index >= 0 ? $"instruction {index}: {reason}" : reason)
    {
        Index = index;
        Reason = reason;
    }

    public int Index { get; }

    public string Reason { get; }
}
