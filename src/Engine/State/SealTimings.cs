namespace NexusFast.Engine.State;

/// <summary>
/// One seal's time in three parts: keys and leaves (collecting the dirty entries, hashing keys and leaves, sorting),
/// the trees' structure (walk, path copies, warming), and hashing their levels.
/// </summary>
public readonly record struct SealTimings(double KeysAndLeavesMs, double TreeWalkMs, double LevelHashingMs);
