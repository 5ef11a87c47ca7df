namespace NexusFast.Engine.Crypto.MlDsa;
internal static partial class PolyMath
{
    internal static void PointwiseMontgomeryAvx2(ReadOnlySpan<int> a, ReadOnlySpan<int> b, Span<int> result) => PointwiseMontgomeryScalar(a, b, result);
    internal static void PointwiseAccumulateAvx2(ReadOnlySpan<int> a, ReadOnlySpan<int> b, Span<int> result) => PointwiseAccumulateScalar(a, b, result);
    internal static void ReduceAvx2(Span<int> a) => ReduceScalar(a);
    internal static void FreezeAvx2(Span<int> a) => FreezeScalar(a);
    internal static int ExceedsBoundAvx2(ReadOnlySpan<int> a, int bound) => ExceedsBoundScalar(a, bound);
    internal static void DecomposeAvx2(ReadOnlySpan<int> a, Span<int> high, Span<int> low, int gamma2) => DecomposeScalar(a, high, low, gamma2);
    internal static void UseHintAvx2(ReadOnlySpan<int> a, ReadOnlySpan<int> hint, Span<int> high, int gamma2) => UseHintScalar(a, hint, high, gamma2);
}
