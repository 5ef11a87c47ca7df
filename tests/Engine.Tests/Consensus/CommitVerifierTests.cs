using NexusFast.Engine.Consensus;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Tests.Consensus;

public sealed class CommitVerifierTests
{
    private readonly ConsensusKit _kit = new(1, 1, 1, 1);
    private static readonly Hash256 s_block = ConsensusKit.BlockHash(ConsensusKit.Block("committed"));

    private CommitCertificate Certificate(params int[] signers) =>
        CommitVerifier.FromPrecommits(2, signers.Select(i => _kit.Vote(i, ConsensusMessageType.Precommit, 9, 2, s_block)).ToList(), s_block);

    private CommitError Verify(CommitCertificate certificate, ulong height = 9, Hash256? block = null) =>
        CommitVerifier.Verify(ConsensusKit.ChainId, height, block ?? s_block, certificate, _kit.Set);

    [Fact]
    public void Three_of_four_precommits_verify_and_two_do_not()
    {
        Assert.Equal(CommitError.None, Verify(Certificate(0, 1, 2)));
        Assert.Equal(CommitError.None, Verify(Certificate(3, 1, 2, 0)));
        Assert.Equal(CommitError.InsufficientPower, Verify(Certificate(0, 3)));
    }

    [Fact]
    public void A_certificate_for_another_height_block_or_round_does_not_verify()
    {
        CommitCertificate certificate = Certificate(0, 1, 2);
        Assert.Equal(CommitError.BadSignature, Verify(certificate, height: 10));
        Assert.Equal(CommitError.BadSignature, Verify(certificate, block: ConsensusKit.BlockHash(ConsensusKit.Block("other"))));
        Assert.Equal(CommitError.BadSignature, Verify(certificate with { Round = 3 }));
    }

    [Fact]
    public void Duplicate_unordered_unknown_or_forged_signers_are_refused()
    {
        CommitSignature[] signatures = Certificate(0, 1, 2).Signatures;
        Assert.Equal(CommitError.NotCanonicalOrder, Verify(new CommitCertificate(2, [signatures[0], signatures[0], signatures[1]])));
        Assert.Equal(CommitError.NotCanonicalOrder, Verify(new CommitCertificate(2, [signatures[1], signatures[0], signatures[2]])));

        var outsider = new ConsensusKit(1, 1, 1, 1, 1);
        Vote stranger = outsider.Vote(4, ConsensusMessageType.Precommit, 9, 2, s_block);
        var withStranger = signatures.Append(new CommitSignature(stranger.Validator, stranger.Signature)).OrderBy(s => s.Validator).ToArray();
        Assert.Equal(CommitError.UnknownValidator, Verify(new CommitCertificate(2, withStranger)));

        CommitSignature[] forged = (CommitSignature[])signatures.Clone();
        forged[1] = forged[1] with { Signature = signatures[2].Signature };
        Assert.Equal(CommitError.BadSignature, Verify(new CommitCertificate(2, forged)));
        Assert.Equal(CommitError.BadSignature, Verify(new CommitCertificate(2, [signatures[0], signatures[1] with { Signature = new byte[10] }, signatures[2]])));
    }

    [Fact]
    public void The_canonical_encoding_round_trips_and_refuses_unordered_signatures()
    {
        CommitCertificate certificate = Certificate(2, 0, 1);
        byte[] encoded = CommitCertificateCodec.Encode(certificate);
        CommitCertificate decoded = CommitCertificateCodec.Decode(encoded);
        Assert.Equal(CommitError.None, Verify(decoded));
        Assert.Equal(encoded, CommitCertificateCodec.Encode(decoded));

        var unordered = new CommitCertificate(2, [certificate.Signatures[1], certificate.Signatures[0]]);
        Assert.Throws<FormatException>(() => CommitCertificateCodec.Decode(CommitCertificateCodec.Encode(unordered)));
        Assert.ThrowsAny<FormatException>(() => CommitCertificateCodec.Decode(encoded.AsSpan(0, encoded.Length - 1)));
    }
}

public sealed class HeaderCommitTests
{
    [Fact]
    public void A_header_proves_its_parent_was_committed_when_its_certificate_verifies()
    {
        var kit = new ConsensusKit(1, 1, 1, 1);
        Hash256 parent = ConsensusKit.BlockHash(ConsensusKit.Block("block 7"));
        CommitCertificate certificate = CommitVerifier.FromPrecommits(1, new[] { 0, 2, 3 }.Select(i => kit.Vote(i, ConsensusMessageType.Precommit, 7, 1, parent)).ToList(), parent);
        var header = new BlockHeader { Number = 8, ParentHash = parent, ParentCommit = certificate };

        Assert.Equal(CommitError.None, CommitVerifier.VerifyParentCommit(ConsensusKit.ChainId, header, kit.Set));
        Assert.Equal(CommitError.BadSignature, CommitVerifier.VerifyParentCommit(ConsensusKit.ChainId, header with { Number = 9 }, kit.Set));
        Assert.Equal(CommitError.BadSignature, CommitVerifier.VerifyParentCommit(ConsensusKit.ChainId, header with { ParentHash = default }, kit.Set));
        Assert.Equal(CommitError.None, CommitVerifier.VerifyParentCommit(ConsensusKit.ChainId, new BlockHeader { Number = 1 }, kit.Set));
        Assert.Equal(CommitError.GenesisParentCertified, CommitVerifier.VerifyParentCommit(ConsensusKit.ChainId, new BlockHeader { Number = 1, ParentCommit = certificate }, kit.Set));
    }
}
