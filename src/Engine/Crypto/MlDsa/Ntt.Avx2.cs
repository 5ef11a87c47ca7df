namespace NexusFast.Engine.Crypto.MlDsa;
internal static partial class Ntt
{
    internal static void ForwardAvx2(Span<int> a) => ForwardScalar(a);
    internal static void InverseAvx2(Span<int> a) => InverseScalar(a);
}
