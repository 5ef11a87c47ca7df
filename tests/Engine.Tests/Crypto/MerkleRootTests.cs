using System.Security.Cryptography;
using FsCheck;
using FsCheck.Fluent;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Tests.Crypto;

public class MerkleRootTests
{
    /// <summary>
    /// An independent reference: RFC 6962's recursive split at the largest power of two below n, with the count mixed
    /// in at the top as documented on <see cref="MerkleRoot"/>.
    /// </summary>
    private static Hash256 Reference(Hash256[] leaves)
    {
        Hash256 tree = leaves.Length == 0 ? default : Split(leaves);
        byte[] count = new byte[32];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(count.AsSpan(24), (ulong)leaves.Length);
        return new Hash256(SHA256.HashData([.. tree.ToArray(), .. count]));
    }

    private static Hash256 Split(Hash256[] leaves)
    {
        if (leaves.Length == 1) return leaves[0];
        int k = 1;
        while (k * 2 < leaves.Length) k *= 2;
        return new Hash256(SHA256.HashData([.. Split(leaves[..k]).ToArray(), .. Split(leaves[k..]).ToArray()]));
    }

    private static Hash256[] Leaves(int count, int seed = 1)
    {
        var random = new Random(seed);
        var leaves = new Hash256[count];
        byte[] bytes = new byte[32];
        for (int i = 0; i < count; i++)
        {
            random.NextBytes(bytes);
            leaves[i] = new Hash256(bytes);
        }
        return leaves;
    }

    public static TheoryData<int> Counts()
    {
        var data = new TheoryData<int>();
        for (int n = 0; n <= 33; n++) data.Add(n);
        return data;
    }

    [Theory]
    [MemberData(nameof(Counts))]
    public void Root_matches_the_recursive_reference(int count)
    {
        Hash256[] leaves = Leaves(count, seed: count);
        Assert.Equal(Reference(leaves), MerkleRoot.Compute(leaves));
        var parallel = new ParallelNodeHasher(new Sha256NodeHasher());
        Assert.Equal(Reference(leaves), MerkleRoot.Compute(leaves, parallel));
    }

    [Fact]
    public void The_empty_list_root_is_the_hash_of_64_zero_bytes()
    {
        Assert.Equal(new Hash256(SHA256.HashData(new byte[64])), MerkleRoot.Compute([]));
    }

    [Fact]
    public void Lists_that_share_a_tree_shape_trick_still_have_different_roots()
    {
        Hash256[] abc = Leaves(3);
        // CVE-2012-2459: duplicating the last leaf must not give the same root.
        Assert.NotEqual(MerkleRoot.Compute(abc), MerkleRoot.Compute([.. abc, abc[2]]));
        // An inner node presented as a leaf: [H(a||b), c] against [a, b, c].
        Hash256 ab = new(SHA256.HashData([.. abc[0].ToArray(), .. abc[1].ToArray()]));
        Assert.NotEqual(MerkleRoot.Compute(abc), MerkleRoot.Compute([ab, abc[2]]));
        // One leaf is not its own root.
        Assert.NotEqual(abc[0], MerkleRoot.Compute([abc[0]]));
    }

    [Fact]
    public void Root_matches_the_reference_for_random_lists()
    {
        Prop.ForAll(Gen.Choose(0, 300).ToArbitrary(), Gen.Choose(0, 1000).ToArbitrary(), (count, seed) =>
        {
            Hash256[] leaves = Leaves(count, seed);
            return MerkleRoot.Compute(leaves) == Reference(leaves);
        }).QuickCheckThrowOnFailure();
    }
}
