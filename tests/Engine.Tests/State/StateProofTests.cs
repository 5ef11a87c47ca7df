using NexusFast.Engine.Primitives;
using NexusFast.Engine.State;
using Xunit.Abstractions;

namespace NexusFast.Engine.Tests.State;

public class StateProofTests(ITestOutputHelper output)
{
    private const int Accounts = 300;
    private static readonly Address Contract = StateTestData.Address(7);

    /// <summary>300 accounts, one contract with 40 slots, then a block that deletes some of each.</summary>
    private static StateStore BuildStore(StateStoreOptions? options = null)
    {
        StateStore store = StateStore.OpenInMemory(options);
        using (StateOverlay block = store.BeginBlock())
        {
            for (int i = 0; i < Accounts; i++) block.SetAccount(StateTestData.Address(i), new Account((ulong)i, new UInt256((ulong)i * 1000 + 1)));
            for (int s = 0; s < 40; s++) block.SetStorage(Contract, StateTestData.Slot(s), StateTestData.Slot(500 + s));
            block.Commit();
        }
        using (StateOverlay block = store.BeginBlock())
        {
            for (int i = 100; i < 110; i++) block.SetAccount(StateTestData.Address(i), Account.Empty);
            for (int s = 0; s < 10; s++) block.SetStorage(Contract, StateTestData.Slot(s), default);
            block.Commit();
        }
        return store;
    }

    public static TheoryData<int> Addresses() => new() { 0, 1, 7, 99, 100, 105, 299, 300, 301, 5000, 123456 };

    [Theory]
    [MemberData(nameof(Addresses))]
    public void Account_proofs_verify_for_present_and_absent_accounts(int index)
    {
        using StateStore store = BuildStore();
        Address address = StateTestData.Address(index);
        AccountProof proof = store.GetAccountProof(address, out Hash256 root);
        Assert.Equal(store.StateRoot, root);
        Account? claim = store.TryGetAccount(address, out Account account) ? account : null;
        output.WriteLine($"{address}: {(claim is null ? "absent" : "present")}, {proof.Siblings.Length} siblings, ends at {proof.Terminal}{(proof.Terminal == ProofTerminal.Leaf && claim is null ? " of another key" : "")}");

        Assert.True(StateProofVerifier.VerifyAccount(root, address, claim, proof));

        // The opposite claim, or a different account, fails.
        if (claim is { } present)
        {
            Assert.False(StateProofVerifier.VerifyAccount(root, address, null, proof));
            Assert.False(StateProofVerifier.VerifyAccount(root, address, present.WithBalance(present.Balance + UInt256.One), proof));
        }
        else
        {
            Assert.False(StateProofVerifier.VerifyAccount(root, address, new Account(1, UInt256.One), proof));
        }

        // The proof is for this address only.
        Address other = StateTestData.Address(index + 1);
        Account? otherClaim = store.TryGetAccount(other, out Account otherAccount) ? otherAccount : null;
        if (claim is not null || otherClaim is not null) Assert.False(StateProofVerifier.VerifyAccount(root, other, claim, proof));
    }

    [Fact]
    public void Absence_proofs_end_both_at_empty_subtrees_and_at_other_keys_leaves()
    {
        using StateStore store = BuildStore();
        int empty = 0;
        int otherLeaf = 0;
        for (int i = Accounts; i < Accounts + 400; i++)
        {
            Address address = StateTestData.Address(i);
            AccountProof proof = store.GetAccountProof(address, out Hash256 root);
            Assert.True(StateProofVerifier.VerifyAccount(root, address, null, proof));
            if (proof.Terminal == ProofTerminal.Empty) empty++;
            else otherLeaf++;
        }
        output.WriteLine($"400 absent addresses: {empty} end at an empty subtree, {otherLeaf} at another key's leaf");
        Assert.True(empty > 0 && otherLeaf > 0);
    }

    public static TheoryData<int> Slots() => new() { 0, 9, 10, 11, 39, 40, 41, 1000 };

    [Theory]
    [MemberData(nameof(Slots))]
    public void Storage_proofs_verify_against_the_proven_storage_root(int slotIndex)
    {
        using StateStore store = BuildStore();
        Hash256 slot = StateTestData.Slot(slotIndex);
        StorageProof proof = store.GetStorageProof(Contract, slot, out Hash256 storageRoot);
        AccountProof accountProof = store.GetAccountProof(Contract, out Hash256 stateRoot);
        Account account = store.GetAccount(Contract);

        Assert.Equal(account.StorageRoot, storageRoot);
        Assert.True(StateProofVerifier.VerifyAccount(stateRoot, Contract, account, accountProof));
        Hash256 value = store.GetStorage(Contract, slot);
        Assert.True(StateProofVerifier.VerifyStorage(storageRoot, slot, value, proof));
        Assert.False(StateProofVerifier.VerifyStorage(storageRoot, slot, value.IsZero ? StateTestData.Slot(1) : default, proof));
        Assert.False(StateProofVerifier.VerifyStorage(stateRoot, slot, value, proof));
    }

    [Fact]
    public void A_storage_proof_for_an_account_without_storage_is_an_empty_path()
    {
        using StateStore store = BuildStore();
        Address plain = StateTestData.Address(3);
        StorageProof proof = store.GetStorageProof(plain, StateTestData.Slot(0), out Hash256 storageRoot);
        Assert.Equal(Account.EmptyStorageRoot, storageRoot);
        Assert.Empty(proof.Siblings);
        Assert.True(StateProofVerifier.VerifyStorage(storageRoot, StateTestData.Slot(0), default, proof));
        Assert.False(StateProofVerifier.VerifyStorage(storageRoot, StateTestData.Slot(0), StateTestData.Slot(1), proof));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(104)]
    [InlineData(Accounts + 17)]
    public void Flipping_any_bit_of_an_account_proof_its_root_or_its_claim_breaks_it(int index)
    {
        using StateStore store = BuildStore();
        Address address = StateTestData.Address(index);
        AccountProof proof = store.GetAccountProof(address, out Hash256 root);
        Account? claim = store.TryGetAccount(address, out Account account) ? account : null;
        Assert.True(StateProofVerifier.VerifyAccount(root, address, claim, proof));

        byte[] encoded = proof.Encode();
        Assert.True(AccountProof.TryDecode(encoded, out AccountProof? decoded, out _));
        Assert.True(StateProofVerifier.VerifyAccount(root, address, claim, decoded));

        int rejectedByDecoder = 0;
        for (int bit = 0; bit < encoded.Length * 8; bit++)
        {
            byte[] flipped = (byte[])encoded.Clone();
            flipped[bit / 8] ^= (byte)(0x80 >> (bit % 8));
            if (!AccountProof.TryDecode(flipped, out AccountProof? damaged, out _))
            {
                rejectedByDecoder++;
                continue;
            }
            Assert.False(StateProofVerifier.VerifyAccount(root, address, claim, damaged), $"bit {bit} of the proof");
        }

        byte[] rootBytes = root.ToArray();
        for (int bit = 0; bit < 256; bit++)
        {
            byte[] flipped = (byte[])rootBytes.Clone();
            flipped[bit / 8] ^= (byte)(0x80 >> (bit % 8));
            Assert.False(StateProofVerifier.VerifyAccount(new Hash256(flipped), address, claim, proof), $"bit {bit} of the root");
        }

        if (claim is { } present)
        {
            byte[] accountBytes = new byte[Account.EncodedSize];
            present.WriteTo(accountBytes);
            for (int bit = 0; bit < accountBytes.Length * 8; bit++)
            {
                byte[] flipped = (byte[])accountBytes.Clone();
                flipped[bit / 8] ^= (byte)(0x80 >> (bit % 8));
                Assert.False(StateProofVerifier.VerifyAccount(root, address, Account.ReadFrom(flipped), proof), $"bit {bit} of the account");
            }
        }

        byte[] addressBytes = address.ToArray();
        for (int bit = 0; bit < 160; bit++)
        {
            byte[] flipped = (byte[])addressBytes.Clone();
            flipped[bit / 8] ^= (byte)(0x80 >> (bit % 8));
            Address otherAddress = new(flipped);
            if (claim is null && !store.TryGetAccount(otherAddress, out _)) continue; // still a true absence claim about another address
            Assert.False(StateProofVerifier.VerifyAccount(root, otherAddress, claim, proof), $"bit {bit} of the address");
        }
        output.WriteLine($"{encoded.Length * 8} proof bits flipped, {rejectedByDecoder} caught by the decoder, the rest by the verifier");
    }

    [Theory]
    [InlineData(3)]
    [InlineData(25)]
    [InlineData(777)]
    public void Flipping_any_bit_of_a_storage_proof_its_root_or_its_value_breaks_it(int slotIndex)
    {
        using StateStore store = BuildStore();
        Hash256 slot = StateTestData.Slot(slotIndex);
        StorageProof proof = store.GetStorageProof(Contract, slot, out Hash256 root);
        Hash256 value = store.GetStorage(Contract, slot);
        Assert.True(StateProofVerifier.VerifyStorage(root, slot, value, proof));

        byte[] encoded = proof.Encode();
        for (int bit = 0; bit < encoded.Length * 8; bit++)
        {
            byte[] flipped = (byte[])encoded.Clone();
            flipped[bit / 8] ^= (byte)(0x80 >> (bit % 8));
            if (!StorageProof.TryDecode(flipped, out StorageProof? damaged, out _)) continue;
            Assert.False(StateProofVerifier.VerifyStorage(root, slot, value, damaged), $"bit {bit} of the proof");
        }
        for (int bit = 0; bit < 256; bit++)
        {
            byte[] flippedRoot = root.ToArray();
            flippedRoot[bit / 8] ^= (byte)(0x80 >> (bit % 8));
            Assert.False(StateProofVerifier.VerifyStorage(new Hash256(flippedRoot), slot, value, proof), $"bit {bit} of the root");
            byte[] flippedValue = value.ToArray();
            flippedValue[bit / 8] ^= (byte)(0x80 >> (bit % 8));
            Assert.False(StateProofVerifier.VerifyStorage(root, slot, new Hash256(flippedValue), proof), $"bit {bit} of the value");
        }
    }

    [Fact]
    public void Malformed_proof_bytes_are_rejected_with_a_reason()
    {
        Assert.False(AccountProof.TryDecode([0x00], out _, out string? error));
        Assert.Contains("shorter than its 3-byte header", error);
        Assert.False(AccountProof.TryDecode([0x01, 0x00, 0x00], out _, out error));
        Assert.Contains("more than the tree depth", error);
        Assert.False(AccountProof.TryDecode([0x00, 0x00, 0x02], out _, out error));
        Assert.Contains("neither 0 (empty) nor 1 (leaf)", error);
        Assert.False(StorageProof.TryDecode([0x00, 0x00, 0x01, 0xAA], out _, out error));
        Assert.Contains("its header says", error);
    }

    [Fact]
    public void Proofs_read_the_committed_state_while_a_block_is_sealed()
    {
        using StateStore store = BuildStore();
        Address address = StateTestData.Address(5);
        Account before = store.GetAccount(address);
        using StateOverlay block = store.BeginBlock();
        block.SetAccount(address, before.WithBalance(new UInt256(1)));
        block.SetAccount(StateTestData.Address(100), new Account(1, UInt256.One));
        Hash256 sealedRoot = block.ComputeStateRoot();

        AccountProof proof = store.GetAccountProof(address, out Hash256 root);
        Assert.NotEqual(sealedRoot, root);
        Assert.True(StateProofVerifier.VerifyAccount(root, address, before, proof));

        block.Commit();
        proof = store.GetAccountProof(address, out root);
        Assert.Equal(sealedRoot, root);
        Assert.True(StateProofVerifier.VerifyAccount(root, address, before.WithBalance(new UInt256(1)), proof));
    }

    [Fact]
    public void Proofs_verify_when_most_nodes_were_evicted_to_FASTER()
    {
        using StateStore store = BuildStore(new StateStoreOptions { NodeCacheCapacity = 1024 });
        for (int round = 0; round < 3; round++)
        {
            using StateOverlay block = store.BeginBlock();
            for (int i = 0; i < 1500; i++) block.SetAccount(StateTestData.Address(1000 + i), new Account(1, new UInt256((ulong)(i + round))));
            block.Commit();
        }
        output.WriteLine($"{store.CachedNodeCount} nodes left in memory");
        Assert.True(store.CachedNodeCount < 1024);
        for (int i = 0; i < 2600; i += 37)
        {
            Address address = StateTestData.Address(i);
            AccountProof proof = store.GetAccountProof(address, out Hash256 root);
            Account? claim = store.TryGetAccount(address, out Account account) ? account : null;
            Assert.True(StateProofVerifier.VerifyAccount(root, address, claim, proof));
        }
        StorageProof storage = store.GetStorageProof(Contract, StateTestData.Slot(20), out Hash256 storageRoot);
        Assert.True(StateProofVerifier.VerifyStorage(storageRoot, StateTestData.Slot(20), StateTestData.Slot(520), storage));
    }
}
