using NexusFast.Engine.Vm;

namespace NexusFast.Engine.Tests.Vm;

public sealed class VmCallTests
{
    [Fact]
    public void A_callee_gets_its_own_frame_and_the_caller_keeps_r6_to_r9()
    {
        VmProgram program = VmTestKit.Load("""
            mov %r6, 6
            mov %r7, 7
            mov %r8, 8
            mov %r9, 9
            stdw [%r10-8], 42
            mov %r1, %r10
            call local f
            ldxdw %r2, [%r10-8]
            jne %r2, 42, bad
            jne %r6, 6, bad
            jne %r9, 9, bad
            sub %r0, %r10
            exit
            bad:
            mov %r0, -1
            exit
            f:
            mov %r6, 0
            mov %r9, 0
            stdw [%r10-8], 1
            mov %r0, %r10
            exit
            """);
        VmResult result = VmTestKit.Run(program);
        Assert.Equal(VmExitKind.Returned, result.Kind);
        Assert.Equal((ulong)VmLimits.StackFrameSize, result.ReturnValue);
    }

    [Fact]
    public void Recursion_works_until_the_call_depth_limit()
    {
        // f(n) = n == 0 ? 0 : 1 + f(n - 1), with n in r1.
        const string Source = """
            call local f
            exit
            f:
            mov %r0, 0
            jeq %r1, 0, done
            mov %r6, %r1
            sub %r1, 1
            call local f
            add %r0, 1
            done:
            exit
            """;
        VmProgram program = VmTestKit.Load(Source);
        var machine = new VmMachine();
        machine.Start(program, []);
        machine.Registers[1] = VmLimits.MaxCallDepth - 2;
        var host = new Conformance.UbpfTestHelpers();
        VmResult deepest = machine.Run(ref host, 1_000_000);
        Assert.Equal(VmExitKind.Returned, deepest.Kind);
        Assert.Equal((ulong)VmLimits.MaxCallDepth - 2, deepest.ReturnValue);

        machine.Start(program, []);
        machine.Registers[1] = VmLimits.MaxCallDepth - 1;
        VmResult tooDeep = machine.Run(ref host, 1_000_000);
        Assert.Equal(VmExitKind.CallDepthExceeded, tooDeep.Kind);
        Assert.Equal(6, tooDeep.InstructionIndex);
    }

    [Fact]
    public void A_helper_can_stop_the_run_with_success_and_keeps_r0()
    {
        VmProgram program = VmTestKit.Load("mov %r1, 0\nmov %r0, 9\ncall 5\nmov %r0, 2\nexit", Conformance.UbpfTestHelpers.Catalog());
        VmResult result = VmTestKit.Run(program);
        Assert.Equal(VmExitKind.Stopped, result.Kind);
        Assert.True(result.Succeeded);
        Assert.Equal(0UL, result.ReturnValue);
    }

    [Fact]
    public void A_struct_host_keeps_its_state_across_calls_because_it_is_passed_by_reference()
    {
        var helpers = new VmHelperCatalog().Add(7, "count", 1);
        VmProgram program = VmTestKit.Load("call 7\ncall 7\ncall 7\nexit", helpers);
        var machine = new VmMachine();
        machine.Start(program, []);
        var host = new CountingHost();
        VmResult result = machine.Run(ref host, 10_000);
        Assert.Equal(3, host.Calls);
        Assert.Equal(3UL, result.ReturnValue);
    }

    [Fact]
    public void A_helper_revert_ends_the_run_as_reverted_at_the_call()
    {
        var helpers = new VmHelperCatalog().Add(7, "count", 1);
        VmProgram program = VmTestKit.Load("call 7\ncall 7\nexit", helpers);
        var machine = new VmMachine();
        machine.Start(program, []);
        var host = new CountingHost { RevertAt = 2 };
        VmResult result = machine.Run(ref host, 10_000);
        Assert.Equal(VmExitKind.Reverted, result.Kind);
        Assert.False(result.Succeeded);
        Assert.Equal(1, result.InstructionIndex);
    }

    private struct CountingHost : IVmHost
    {
        public int Calls;
        public int RevertAt;

        public VmHelperOutcome Invoke(uint helperId, VmMachine machine)
        {
            Calls++;
            machine.Registers[0] = (ulong)Calls;
            return Calls == RevertAt ? VmHelperOutcome.Revert : VmHelperOutcome.Continue;
        }
    }
}
