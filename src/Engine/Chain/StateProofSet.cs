using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.State;

namespace NexusFast.Engine.Chain;

/// <summary>
/// Proofs of one account and some of its storage slots, all against the state root of <see cref="Block"/> (the head
/// when they were taken). <see cref="StorageProofs"/>[i] proves <see cref="StorageValues"/>[i] under
/// <see cref="StorageRoot"/>, which <see cref="AccountProof"/> proves as part of <see cref="Account"/>.
/// </summary>
public sealed record StateProofSet(
    Block Block,
    Account Account,
    AccountProof AccountProof,
    Hash256 StorageRoot,
    Hash256[] Slots,
    Hash256[] StorageValues,
    StorageProof[] StorageProofs);
