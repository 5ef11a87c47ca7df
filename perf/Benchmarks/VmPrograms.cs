using System.Buffers.Binary;
using NexusFast.Engine.Vm;

namespace NexusFast.Benchmarks;

/// <summary>
/// The benchmark workloads as eBPF, encoded by hand (RFC 9669 layout: opcode, dst | src &lt;&lt; 4, offset, imm), and
/// the same algorithms in C# as the baseline. Each program takes its size in r1 and returns its answer in r0.
/// </summary>
internal static class VmPrograms
{
    /// <summary>sum of 0..n-1: three instructions per iteration.</summary>
    public static byte[] LoopSum() => Encode(
        Op(0xb7, 0, 0, 0, 0),       // mov r0, 0
        Op(0xb7, 2, 0, 0, 0),       // mov r2, 0
        Op(0x0f, 0, 2, 0, 0),       // loop: add r0, r2
        Op(0x07, 2, 0, 0, 1),       // add r2, 1
        Op(0xad, 2, 1, -3, 0),      // jlt r2, r1, loop
        Op(0x95, 0, 0, 0, 0));      // exit

    /// <summary>Recursive fib(n) with local calls; r6 and r7 survive the calls because every frame saves them.</summary>
    public static byte[] Fib() => Encode(
        Op(0x85, 0, 1, 0, 1),       // call fib
        Op(0x95, 0, 0, 0, 0),       // exit
        Op(0x25, 1, 0, 2, 1),       // fib: jgt r1, 1, +2
        Op(0xbf, 0, 1, 0, 0),       // mov r0, r1
        Op(0x95, 0, 0, 0, 0),       // exit
        Op(0xbf, 6, 1, 0, 0),       // mov r6, r1
        Op(0x17, 1, 0, 0, 1),       // sub r1, 1
        Op(0x85, 0, 1, 0, -6),      // call fib
        Op(0xbf, 7, 0, 0, 0),       // mov r7, r0
        Op(0xbf, 1, 6, 0, 0),       // mov r1, r6
        Op(0x17, 1, 0, 0, 2),       // sub r1, 2
        Op(0x85, 0, 1, 0, -10),     // call fib
        Op(0x0f, 0, 7, 0, 0),       // add r0, r7
        Op(0x95, 0, 0, 0, 0));      // exit

    /// <summary>Sieve of Eratosthenes over a byte per number in the heap; returns the count of primes below n.</summary>
    public static byte[] Sieve()
    {
        ulong heap = VmMemoryMap.Heap;
        return Encode(
            Op(0x18, 6, 0, 0, (int)(uint)heap),        // lddw r6, heap
            Op(0x00, 0, 0, 0, (int)(heap >> 32)),
            Op(0xb7, 0, 0, 0, 0),                      // mov r0, 0
            Op(0xb7, 2, 0, 0, 2),                      // mov r2, 2
            Op(0xbf, 4, 6, 0, 0),                      // outer: mov r4, r6
            Op(0x0f, 4, 2, 0, 0),                      // add r4, r2
            Op(0x71, 3, 4, 0, 0),                      // ldxb r3, [r4]
            Op(0x55, 3, 0, 9, 0),                      // jne r3, 0, next
            Op(0x07, 0, 0, 0, 1),                      // add r0, 1
            Op(0xbf, 5, 2, 0, 0),                      // mov r5, r2
            Op(0x2f, 5, 2, 0, 0),                      // mul r5, r2
            Op(0x3d, 5, 1, 5, 0),                      // inner: jge r5, r1, next
            Op(0xbf, 4, 6, 0, 0),                      // mov r4, r6
            Op(0x0f, 4, 5, 0, 0),                      // add r4, r5
            Op(0x72, 4, 0, 0, 1),                      // stb [r4], 1
            Op(0x0f, 5, 2, 0, 0),                      // add r5, r2   (falls into the jump below)
            Op(0x05, 0, 0, -6, 0),                     // ja inner
            Op(0x07, 2, 0, 0, 1),                      // next: add r2, 1
            Op(0xad, 2, 1, -15, 0),                    // jlt r2, r1, outer
            Op(0x95, 0, 0, 0, 0));                     // exit
    }

    /// <summary>n calls of host function 1 (which returns its argument); returns the sum of the results.</summary>
    public static byte[] HelperCalls() => Encode(
        Op(0xbf, 6, 1, 0, 0),       // mov r6, r1
        Op(0xb7, 7, 0, 0, 0),       // mov r7, 0
        Op(0xbf, 1, 6, 0, 0),       // loop: mov r1, r6
        Op(0x85, 0, 0, 0, 1),       // call 1
        Op(0x0f, 7, 0, 0, 0),       // add r7, r0
        Op(0x17, 6, 0, 0, 1),       // sub r6, 1
        Op(0x55, 6, 0, -5, 0),      // jne r6, 0, loop
        Op(0xbf, 0, 7, 0, 0),       // mov r0, r7
        Op(0x95, 0, 0, 0, 0));      // exit

    public static ulong LoopSumNative(ulong n)
    {
        ulong sum = 0;
        for (ulong i = 0; i < n; i++) sum += i;
        return sum;
    }

    public static ulong FibNative(ulong n) => n <= 1 ? n : FibNative(n - 1) + FibNative(n - 2);

    public static ulong SieveNative(int n, byte[] composite)
    {
        Array.Clear(composite, 0, n);
        ulong count = 0;
        for (long i = 2; i < n; i++)
        {
            if (composite[i] != 0) continue;
            count++;
            for (long j = i * i; j < n; j += i) composite[j] = 1;
        }
        return count;
    }

    private static ulong Op(int opcode, int dst, int src, int offset, int imm) =>
        (uint)opcode | ((ulong)(uint)(dst | (src << 4)) << 8) | ((ulong)(ushort)(short)offset << 16) | ((ulong)(uint)imm << 32);

    private static byte[] Encode(params ulong[] slots)
    {
        var code = new byte[slots.Length * 8];
        for (int i = 0; i < slots.Length; i++) BinaryPrimitives.WriteUInt64LittleEndian(code.AsSpan(i * 8), slots[i]);
        return code;
    }
}
