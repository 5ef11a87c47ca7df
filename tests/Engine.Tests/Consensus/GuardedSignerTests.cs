using NexusFast.Engine.Consensus;
using NexusFast.Engine.Primitives;
using static NexusFast.Engine.Consensus.ConsensusMessageType;

namespace NexusFast.Engine.Tests.Consensus;

public sealed class GuardedSignerTests : IDisposable
{
    private readonly ConsensusKit _kit = new(1);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "nexusfast-signer-" + Guid.NewGuid().ToString("N"));
    private static readonly Hash256 s_x = ConsensusKit.BlockHash(ConsensusKit.Block("x"));
    private static readonly Hash256 s_y = ConsensusKit.BlockHash(ConsensusKit.Block("y"));

    public GuardedSignerTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private GuardedSigner Signer(ISignerStateStore store) => new(ConsensusKit.ChainId, _kit.Secrets[0], store);

    [Fact]
    public void Signing_moves_forward_in_height_round_and_step_and_refuses_to_go_back()
    {
        GuardedSigner signer = Signer(new MemorySignerStateStore());
        Assert.NotNull(signer.TrySign(new SigningPayload(ConsensusMessageType.Proposal, 5, 1, -1, s_x), -1, default));
        Assert.NotNull(signer.TrySign(new SigningPayload(Prevote, 5, 1, -1, s_x), -1, default));
        Assert.NotNull(signer.TrySign(new SigningPayload(Precommit, 5, 1, -1, s_x), 1, s_x));
        Assert.Null(signer.TrySign(new SigningPayload(Prevote, 5, 1, -1, s_x), 1, s_x)); // earlier step
        Assert.Null(signer.TrySign(new SigningPayload(Precommit, 5, 0, -1, s_x), 0, s_x)); // earlier round
        Assert.Null(signer.TrySign(new SigningPayload(Precommit, 4, 9, -1, s_x), 1, s_x)); // earlier height
        Assert.NotNull(signer.TrySign(new SigningPayload(Prevote, 5, 2, -1, Hash256.Zero), 1, s_x));
        Assert.NotNull(signer.TrySign(new SigningPayload(Prevote, 6, 0, -1, s_y), -1, default));
        Assert.Equal(3, signer.RefusedCount);
    }

    [Fact]
    public void The_same_payload_again_gets_the_same_signature_and_a_different_one_is_refused()
    {
        GuardedSigner signer = Signer(new MemorySignerStateStore());
        var payload = new SigningPayload(Prevote, 1, 0, -1, s_x);
        byte[] first = signer.TrySign(payload, -1, default)!;
        Assert.Equal(first, signer.TrySign(payload, -1, default));
        Assert.Null(signer.TrySign(payload with { BlockHash = s_y }, -1, default));
        Assert.Null(signer.TrySign(payload with { BlockHash = Hash256.Zero }, -1, default));
    }

    [Fact]
    public void The_state_is_saved_before_the_signature_is_returned()
    {
        var store = new ThrowingStore();
        GuardedSigner signer = Signer(store);
        Assert.Throws<IOException>(() => signer.TrySign(new SigningPayload(Prevote, 1, 0, -1, s_x), -1, default));
        Assert.Null(signer.LastSigned); // nothing was signed as far as anyone can tell
    }

    [Fact]
    public void A_restarted_signer_reads_its_file_and_refuses_what_conflicts_with_it()
    {
        string path = Path.Combine(_directory, "signer-state");
        GuardedSigner before = Signer(new FileSignerStateStore(path));
        byte[] signature = before.TrySign(new SigningPayload(Precommit, 3, 2, -1, s_x), 2, s_x)!;

        GuardedSigner after = Signer(new FileSignerStateStore(path));
        SignerState state = Assert.IsType<SignerState>(after.LastSigned);
        Assert.Equal((3UL, 2, Precommit, 2, s_x), (state.Height, state.Round, state.Type, state.LockedRound, state.LockedBlockHash));
        Assert.Null(after.TrySign(new SigningPayload(Precommit, 3, 2, -1, s_y), 2, s_y));
        Assert.Equal(signature, after.TrySign(new SigningPayload(Precommit, 3, 2, -1, s_x), 2, s_x));
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public void A_corrupted_state_file_stops_the_signer_instead_of_starting_empty()
    {
        string path = Path.Combine(_directory, "signer-state");
        Signer(new FileSignerStateStore(path)).TrySign(new SigningPayload(Prevote, 1, 0, -1, s_x), -1, default);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[30] ^= 1;
        File.WriteAllBytes(path, bytes);
        Assert.Throws<InvalidDataException>(() => Signer(new FileSignerStateStore(path)));
        File.WriteAllBytes(path, bytes[..10]);
        Assert.Throws<InvalidDataException>(() => Signer(new FileSignerStateStore(path)));
    }

    [Fact]
    public void A_signature_recovers_to_the_signers_address_and_only_for_its_chain()
    {
        GuardedSigner signer = Signer(new MemorySignerStateStore());
        var payload = new SigningPayload(Prevote, 1, 0, -1, s_x);
        byte[] signature = signer.TrySign(payload, -1, default)!;
        Assert.True(ConsensusSigning.TryRecoverSigner(payload.ComputeSigningHash(ConsensusKit.ChainId), signature, out Address signerAddress));
        Assert.Equal(signer.Address, signerAddress);
        Assert.True(ConsensusSigning.TryRecoverSigner(payload.ComputeSigningHash(ConsensusKit.ChainId + 1), signature, out Address other));
        Assert.NotEqual(signer.Address, other);
        Assert.NotEqual(payload.ComputeSigningHash(1), (payload with { Type = Precommit }).ComputeSigningHash(1));
    }

    private sealed class ThrowingStore : ISignerStateStore
    {
        public SignerState? Load() => null;

        public void Save(SignerState state) => throw new IOException("disk full");
    }
}
