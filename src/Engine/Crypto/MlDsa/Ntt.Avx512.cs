namespace NexusFast.Engine.Crypto.MlDsa;
internal static partial class Ntt
{
    internal static void ForwardAvx512(Span<int> a) => ForwardScalar(a);
    internal static void InverseAvx512(Span<int> a) => InverseScalar(a);
}
