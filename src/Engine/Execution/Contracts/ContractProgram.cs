using NexusFast.Engine.Vm;
using NexusFast.Engine.Vm.Elf;

namespace NexusFast.Engine.Execution.Contracts;

/// <summary>
/// A contract's ELF object loaded, verified and pre-decoded: the program every call runs (<c>nexus_call</c>) and, when
/// the object has one, the constructor (<c>nexus_deploy</c>). Immutable, shared through <see cref="ContractCache"/>.
/// </summary>
public sealed class ContractProgram
{
    private ContractProgram(VmProgram call, VmProgram? deploy)
    {
        Call = call;
        Deploy = deploy;
    }

    public VmProgram Call { get; }

    /// <summary>The constructor, or null when the object defines none.</summary>
    public VmProgram? Deploy { get; }

    /// <summary>Loads and verifies <paramref name="elfObject"/>; false with the loader's or verifier's reason when it cannot run.</summary>
    public static bool TryLoad(ReadOnlySpan<byte> elfObject, [NotNullWhen(true)] out ContractProgram? program, [NotNullWhen(false)] out string? error)
    {
        program = null;
        try
        {
            ElfProgram elf = ElfLoader.Load(elfObject, HostFunctionNames.Table);
            if (!elf.TryGetFunction(HostFunctionNames.CallEntry, out ElfFunction call))
            {
                error = $"the object defines no {HostFunctionNames.CallEntry} entry point (NEXUS_ENTRY in nexus.h)";
                return false;
            }
            VmProgram callProgram = Verify(elf, call);
            VmProgram? deployProgram = elf.TryGetFunction(HostFunctionNames.DeployEntry, out ElfFunction deploy) ? Verify(elf, deploy) : null;
            program = new ContractProgram(callProgram, deployProgram);
            error = null;
            return true;
        }
        catch (ElfLoadException e)
        {
            error = $"ELF: {e.Message}";
            return false;
        }
        catch (VmVerificationException e)
        {
            error = $"verifier: {e.Message}";
            return false;
        }
    }

    private static VmProgram Verify(ElfProgram elf, ElfFunction entry) => VmProgram.Load(
        elf.Code.Span, elf.ReadOnlyData.Span, elf.WritableData.Span, elf.BssSize, entry.InstructionIndex, ContractGas.Catalog);
}
