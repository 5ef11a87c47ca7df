namespace NexusFast.Engine.Tests.Support;

public class SharedDataTests
{
    [Fact]
    public void The_shared_test_vectors_are_found_beside_the_checkout()
    {
        Assert.True(File.Exists(SharedData.PathOf("vectors", "ethereum", "README.md")));
    }
}
