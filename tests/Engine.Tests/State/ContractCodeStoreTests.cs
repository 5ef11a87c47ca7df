using NexusFast.Engine.Crypto;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.State;

namespace NexusFast.Engine.Tests.State;

/// <summary>Contract code kept by hash beside the accounts: visible in its block, committed with it, durable with checkpoints.</summary>
public sealed class ContractCodeStoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "nexusfast-code-test-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    private static byte[] RandomCode(int length, int seed)
    {
        byte[] code = new byte[length];
        new Random(seed).NextBytes(code);
        return code;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(127)]
    [InlineData(128)]
    [InlineData(129)]
    [InlineData(20_000)]
    public void Code_of_any_length_reads_back_byte_for_byte_in_its_block_and_after_commit(int length)
    {
        using StateStore store = StateStore.OpenInMemory();
        byte[] code = RandomCode(length, length);
        Hash256 hash;
        using (StateOverlay block = store.BeginBlock())
        {
            hash = block.SetCode(code);
            Assert.Equal(Keccak256.Compute(code), hash);
            Assert.Equal(code, block.GetCode(hash));
            Assert.Null(store.GetCode(hash));
            block.Commit();
        }
        Assert.Equal(code, store.GetCode(hash));
        using StateReader reader = store.CreateReader();
        Assert.Equal(code, reader.GetCode(hash));
    }

    [Fact]
    public void Code_of_a_dropped_block_is_not_stored_and_the_empty_hash_reads_as_no_code()
    {
        using StateStore store = StateStore.OpenInMemory();
        Hash256 hash;
        using (StateOverlay block = store.BeginBlock()) hash = block.SetCode(RandomCode(300, 1));
        Assert.Null(store.GetCode(hash));
        Assert.Empty(store.GetCode(Account.EmptyCodeHash)!);
        Assert.Null(store.GetCode(Hash256.Parse("0x" + new string('1', 64))));
    }

    [Fact]
    public void Checkpointed_code_survives_reopening_and_code_does_not_change_the_state_root()
    {
        byte[] code = RandomCode(5_000, 2);
        Address contract = Address.Parse("0x00000000000000000000000000000000000000c1");
        Hash256 root;
        Hash256 hash;
        using (StateStore store = StateStore.Open(_directory))
        {
            Assert.Null(store.Recover());
            using (StateOverlay block = store.BeginBlock())
            {
                hash = block.SetCode(code);
                block.SetAccount(contract, new Account(1, UInt256.Zero, hash, Account.EmptyStorageRoot));
                root = block.Commit();
            }
            store.Checkpoint(1);
        }
        using (StateStore store = StateStore.OpenInMemory())
        {
            // The same account without the code bytes: the root commits to the hash only.
            using StateOverlay block = store.BeginBlock();
            block.SetAccount(contract, new Account(1, UInt256.Zero, hash, Account.EmptyStorageRoot));
            Assert.Equal(root, block.Commit());
        }
        using (StateStore store = StateStore.Open(_directory))
        {
            Assert.NotNull(store.Recover());
            Assert.Equal(code, store.GetCode(store.GetAccount(contract).CodeHash));
        }
    }
}
