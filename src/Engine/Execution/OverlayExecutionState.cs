using NexusFast.Engine.Primitives;
using NexusFast.Engine.State;

namespace NexusFast.Engine.Execution;

/// <summary>The executor's view of a block overlay. A struct, so the generic executor calls it without dispatch.</summary>
public readonly struct OverlayExecutionState(StateOverlay overlay) : IExecutionState
{
    public Account GetAccount(in Address address) => overlay.GetAccount(address);

    public void SetAccount(in Address address, in Account account) => overlay.SetAccount(address, account);

    public Hash256 GetStorage(in Address address, in Hash256 slot) => overlay.GetStorage(address, slot);

    public void SetStorage(in Address address, in Hash256 slot, in Hash256 value) => overlay.SetStorage(address, slot, value);

    public byte[]? GetCode(in Hash256 codeHash) => overlay.GetCode(codeHash);

    public Hash256 SetCode(byte[] code) => overlay.SetCode(code);

    public int Snapshot() => overlay.Snapshot();

    public void Revert(int snapshot) => overlay.Revert(snapshot);
}
