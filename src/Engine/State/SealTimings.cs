namespace NexusFast.Engine.State;

/// <summary>
/// One seal's time in three parts: keys and leaves (collecting the dirty entries, hashing keys and leaves, sorting);
/// the trees' walks (warming, path copies, and the hashing done during them: each finished subtree of a large walk,
/// each half's levels of a split walk); and hashing the levels left after the walks (the top, or all of a small tree).
/// </summary>
public readonly record struct SealTimings(double KeysAndLeavesMs, double TreeWalkMs, double LevelHashingMs);
