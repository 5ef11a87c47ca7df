using NexusFast.Engine.Consensus;
using NexusFast.Engine.Consensus.Host;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Chain;

/// <summary>
/// The engine's <see cref="Blockchain"/> as the application and block store that consensus replicates
/// (<see cref="ConsensusHost"/>): blocks travel as <see cref="BlockWireCodec"/> bytes whose hash is the header's; a
/// proposer builds on a state overlay without committing (<see cref="Blockchain.BuildCandidate"/>), a validator
/// re-executes (<see cref="Blockchain.VerifyCandidate"/>), and the decided block is committed with its certificate
/// (<see cref="Blockchain.CommitCandidate"/>), reusing the verified overlay when it is the same block.
/// </summary>
/// <remarks>
/// <para>Validity (valid(v) of the paper), beyond what <see cref="Blockchain.ImportBlock"/> checks (linkage, gas limit,
/// base fee, senders, re-execution to every root, no development edits): the bytes decode and their body matches the
/// header; the proposer is a validator; the parent's commit certificate verifies against the validator set (block 1
/// carries an empty one); the timestamp is at most <see cref="FutureDriftSecondsMax"/> ahead of this node's clock
/// (timestamps come from the proposer's clock, and one far ahead would push every later block's time ahead with it,
/// since timestamps never decrease; 15 s is what Ethereum clients allowed for proof-of-work blocks); every
/// evidence entry verifies, is about a height not above the block's, and reports an offence not yet on record.</para>
/// <para>The block store is the chain's block log: <see cref="ICommittedBlockStore.Append"/> finds the block already
/// durable (the commit appended it with its certificate) and only checks that it is the head.</para>
/// <para>Threading: consensus calls come from one thread; the chain's lock keeps RPC reads consistent meanwhile.</para>
/// </remarks>
public sealed class ChainReplica : IReplicatedApplication, ICommittedBlockStore
{
    public const ulong DefaultFutureDriftSecondsMax = 15;

    private readonly Blockchain _chain;
    private readonly ValidatorSet _validators;
    private readonly TimeProvider _time;
    private readonly ConsensusSignatureCache? _signatureCache;
    private readonly ulong _consensusChainId;

    // The last blocks decoded or built, by the identity of their bytes: consensus hashes, validates and commits the
    // same array, and decoding 10,000 transactions three times would cost more than executing them.
    private readonly (byte[] Bytes, Block Block)[] _recent = new (byte[], Block)[4];
    private int _recentNext;

    /// <param name="chain">The chain to run; its head must be the genesis or a block committed by consensus.</param>
    /// <param name="genesisValidators">The validator set (fixed); certificates and evidence are checked against it.</param>
    /// <param name="time">The clock for block timestamps and the future-drift rule.</param>
    /// <param name="consensusChainId">The chain id consensus signs with (<see cref="ConsensusOptions.ChainId"/>); the
    /// chain's own id when null.</param>
    /// <param name="futureDriftSecondsMax">How far ahead of this node's clock a block's timestamp may be.</param>
    /// <param name="signatureCache">The cache consensus uses, so that certificates recover each signature once.</param>
    public ChainReplica(Blockchain chain, ValidatorSet genesisValidators, TimeProvider time, ulong? consensusChainId = null,
        ulong futureDriftSecondsMax = DefaultFutureDriftSecondsMax, ConsensusSignatureCache? signatureCache = null)
    {
        _chain = chain ?? throw new ArgumentNullException(nameof(chain));
        _validators = genesisValidators ?? throw new ArgumentNullException(nameof(genesisValidators));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _consensusChainId = consensusChainId ?? chain.Config.ChainId;
        FutureDriftSecondsMax = futureDriftSecondsMax;
        _signatureCache = signatureCache;
    }

    public ulong FutureDriftSecondsMax { get; }

    public Blockchain Chain => _chain;

    public ulong Height => _chain.Head.Number;

    public Hash256 StateRoot => _chain.Head.Header.StateRoot;

    /// <summary>The header hash of well-formed bytes whose body matches the header; zero for anything else, which no
    /// proposal or certificate can name (the consensus machine refuses a zero block hash).</summary>
    public Hash256 ComputeHash(byte[] block)
    {
        ArgumentNullException.ThrowIfNull(block);
        return TryDecode(block, out Block? decoded, out _) ? decoded.Hash : Hash256.Zero;
    }

    public byte[] BuildBlock(Address proposer, IReadOnlyList<DuplicateVoteEvidence> evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        ulong next = Height + 1;
        var fresh = new List<DuplicateVoteEvidence>(evidence.Count);
        foreach (DuplicateVoteEvidence entry in evidence)
        {
            if (fresh.Count < BlockWireCodec.EvidenceCountMax && entry.Height <= next) fresh.Add(entry);
        }
        Block block = _chain.BuildCandidate(NowSeconds(), proposer, _chain.HeadCommit, fresh);
        byte[] bytes = BlockWireCodec.Encode(block);
        Remember(bytes, block);
        return bytes;
    }

    public string? Validate(Hash256 hash, byte[] block)
    {
        ArgumentNullException.ThrowIfNull(block);
        if (!TryDecode(block, out Block? decoded, out string? malformed)) return malformed;
        string? invalid = CheckConsensusRules(hash, decoded);
        if (invalid is not null) return invalid;
        try
        {
            _chain.VerifyCandidate(decoded);
            return null;
        }
        catch (BlockImportException e)
        {
            return e.Reason;
        }
    }

    /// <summary>
    /// Commits a decided block. A certified block that does not execute here means this node cannot follow the chain
    /// (its execution differs from a quorum's): that is thrown, not returned, so the node stops rather than diverge.
    /// </summary>
    public CommitResult Commit(Hash256 hash, byte[] block, CommitCertificate certificate)
    {
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(certificate);
        if (!TryDecode(block, out Block? decoded, out string? malformed))
            throw new InvalidOperationException($"a certified block at height {Height + 1} does not decode: {malformed}");
        if (decoded.Hash != hash) throw new InvalidOperationException($"a certified block hashes to {decoded.Hash}, not the decided {hash}");
        try
        {
            _chain.CommitCandidate(decoded, certificate);
        }
        catch (BlockImportException e)
        {
            throw new InvalidOperationException($"the certified block {hash} at height {e.BlockNumber} does not execute on this node: {e.Reason}", e);
        }
        Forget();
        return new CommitResult(null, StateRoot, decoded.Evidence);
    }

    public bool IsCommitted(DuplicateVoteEvidence evidence) => _chain.IsEvidenceRecorded(evidence);

    /// <summary>A committed block as consensus sends it (block sync), with the certificate stored beside it.</summary>
    public StoredBlock Get(ulong height)
    {
        if (height == 0 || height > Height) throw new ArgumentOutOfRangeException(nameof(height), height, $"committed blocks are 1..{Height}");
        if (!_chain.Blocks.TryGetBlock(height, out Block? block, out _)) throw new InvalidDataException($"block {height} is missing from the block log");
        if (!_chain.Blocks.TryGetCommit(height, out CommitCertificate? certificate))
        {
            // A block committed without one (before this chain ran under consensus) is still proven by its child's header.
            if (height == Height || !_chain.Blocks.TryGetBlock(height + 1, out Block? child, out _))
                throw new InvalidOperationException($"block {height} was committed without a certificate");
            certificate = child.Header.ParentCommit;
        }
        return new StoredBlock(height, block.Hash, BlockWireCodec.Encode(block), certificate);
    }

    /// <summary>The host records a block it has just committed through <see cref="Commit"/>: the chain's log already
    /// holds it, with its certificate; this checks that it is the head.</summary>
    public void Append(StoredBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        Block head = _chain.Head;
        if (block.Height != head.Number || block.Hash != head.Hash)
            throw new InvalidOperationException($"block {block.Height} ({block.Hash}) is not the committed head {head.Number} ({head.Hash})");
    }

    private string? CheckConsensusRules(Hash256 hash, Block block)
    {
        BlockHeader header = block.Header;
        if (block.Hash != hash) return $"the block hashes to {block.Hash}, not the proposed {hash}";
        if (header.Number != Height + 1) return $"block number {header.Number}, the next height is {Height + 1}";
        if (!_validators.Contains(header.Proposer)) return $"proposer {header.Proposer} is not a validator";
        ulong now = NowSeconds();
        if (header.Timestamp > now && header.Timestamp - now > FutureDriftSecondsMax)
            return $"timestamp {header.Timestamp} is {header.Timestamp - now} s ahead of this node's clock ({now}); at most {FutureDriftSecondsMax} s allowed";
        CommitError commit = CommitVerifier.VerifyParentCommit(_consensusChainId, header, _validators, _signatureCache);
        if (commit != CommitError.None) return $"the parent's commit certificate does not verify: {commit}";
        for (int i = 0; i < block.Evidence.Length; i++)
        {
            DuplicateVoteEvidence evidence = block.Evidence[i];
            if (evidence.Height > header.Number) return $"evidence {i} is about height {evidence.Height}, above the block's";
            EvidenceError error = evidence.Verify(_consensusChainId, _validators, _signatureCache);
            if (error != EvidenceError.None) return $"evidence {i} does not verify: {error}";
        }
        return null;
    }

    private bool TryDecode(byte[] bytes, [NotNullWhen(true)] out Block? block, [NotNullWhen(false)] out string? error)
    {
        foreach ((byte[] Bytes, Block Block) entry in _recent)
        {
            if (ReferenceEquals(entry.Bytes, bytes))
            {
                block = entry.Block;
                error = null;
                return true;
            }
        }
        if (!BlockWireCodec.TryDecode(bytes, _chain.Config, out block, out error)) return false;
        Remember(bytes, block);
        return true;
    }

    private void Remember(byte[] bytes, Block block)
    {
        _recent[_recentNext] = (bytes, block);
        _recentNext = (_recentNext + 1) % _recent.Length;
    }

    /// <summary>After a commit the remembered blocks are of a past height: let their transactions go.</summary>
    private void Forget()
    {
        Array.Clear(_recent);
        _recentNext = 0;
    }

    private ulong NowSeconds() => (ulong)Math.Max(0, _time.GetUtcNow().ToUnixTimeSeconds());
}
