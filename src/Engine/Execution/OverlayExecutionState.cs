using NexusFast.Engine.Primitives;
using NexusFast.Engine.State;

namespace NexusFast.Engine.Execution;

/// <summary>The executor's view of a block overlay. A struct, so the generic executor calls it without dispatch.</summary>
public readonly struct OverlayExecutionState(StateOverlay overlay) : IExecutionState
{
    public ulong GetNonce(in Address address) => overlay.GetAccount(address).Nonce;

    public UInt256 GetBalance(in Address address) => overlay.GetAccount(address).Balance;

    public void SetNonce(in Address address, ulong nonce) => overlay.SetAccount(address, overlay.GetAccount(address).WithNonce(nonce));

    public void SetBalance(in Address address, in UInt256 balance) =>
        overlay.SetAccount(address, overlay.GetAccount(address).WithBalance(balance));

    public bool HasCode(in Address address) => overlay.GetAccount(address).HasCode;

    public int Snapshot() => overlay.Snapshot();

    public void Revert(int snapshot) => overlay.Revert(snapshot);
}
