namespace NexusFast.Engine.Tests.Support;

/// <summary>A fact that needs node (see <see cref="EthersOracle"/>): skipped, with the reason, only when node is not on PATH.</summary>
public sealed class NodeFactAttribute : FactAttribute
{
    public NodeFactAttribute()
    {
        if (EthersOracle.NodePath is null) Skip = "node is not installed (./build.sh setup installs it); this differential test against ethers needs it";
    }
}
