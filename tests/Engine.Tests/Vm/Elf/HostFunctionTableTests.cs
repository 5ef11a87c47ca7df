using NexusFast.Engine.Vm;
using NexusFast.Engine.Vm.Elf;

namespace NexusFast.Engine.Tests.Vm.Elf;

public sealed class HostFunctionTableTests
{
    [Fact]
    public void The_chain_table_resolves_every_name_to_its_fixed_id()
    {
        HostFunctionTable table = HostFunctionNames.Table;
        Assert.Equal(HostFunctionNames.All.Count, table.Count);
        Assert.True(table.TryResolve("nexus_storage_load", out int load));
        Assert.Equal(HostFunctionNames.StorageLoad, load);
        Assert.True(table.TryResolve("nexus_gas_left", out int gas));
        Assert.Equal(HostFunctionNames.GasLeft, gas);
        Assert.False(table.TryResolve("memcpy", out _));
        Assert.False(table.TryResolve("NEXUS_STORAGE_LOAD", out _)); // names are case-sensitive, as C symbols are
    }

    [Fact]
    public void Ids_are_consecutive_from_one_so_none_was_skipped_or_reused()
    {
        Assert.Equal(Enumerable.Range(1, HostFunctionNames.All.Count), HostFunctionNames.All.Select(e => e.Value));
    }

    [Fact]
    public void A_table_with_a_repeated_name_or_id_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new HostFunctionTable([new("a", 1), new("a", 2)]));
        Assert.Throws<ArgumentException>(() => new HostFunctionTable([new("a", 1), new("b", 1)]));
    }

    [Fact]
    public void The_catalog_resolver_gives_the_VM_catalog_ids_and_refuses_ids_a_call_cannot_hold()
    {
        var catalog = new VmHelperCatalog().Add(5, "five", 10).Add(uint.MaxValue, "too_large", 10);
        var resolver = new HelperCatalogResolver(catalog);
        Assert.True(resolver.TryResolve("five", out int id));
        Assert.Equal(5, id);
        Assert.False(resolver.TryResolve("too_large", out _));
        Assert.False(resolver.TryResolve("six", out _));
    }
}
