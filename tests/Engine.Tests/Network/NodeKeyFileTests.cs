using NexusFast.Engine.Network;

namespace NexusFast.Engine.Tests.Network;

public sealed class NodeKeyFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("nexusfast-nodekey-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_created_key_file_is_private_and_loads_back_to_the_same_identity()
    {
        string path = Path.Combine(_directory, "node.key");
        using NodeKey created = NodeKeyFile.LoadOrCreate(path);
        using NodeKey loaded = NodeKeyFile.LoadOrCreate(path);

        Assert.Equal(created.Id, loaded.Id);
        Assert.Matches("^[0-9a-f]{64}\n$", File.ReadAllText(path));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Throws<IOException>(() => NodeKeyFile.Create(path));
    }

    [Theory]
    [InlineData("", "64 hex digits")]
    [InlineData("abc", "64 hex digits")]
    [InlineData("zz00000000000000000000000000000000000000000000000000000000000001", "64 hex digits")]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000", "not a valid secret key")]
    [InlineData("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", "not a valid secret key")]
    public void A_malformed_key_file_is_refused_with_its_path(string content, string expected)
    {
        string path = Path.Combine(_directory, "bad.key");
        File.WriteAllText(path, content);
        var error = Assert.Throws<FormatException>(() => NodeKeyFile.Load(path));
        Assert.Contains(expected, error.Message);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void A_key_file_with_a_prefix_and_whitespace_loads()
    {
        string path = Path.Combine(_directory, "spaced.key");
        File.WriteAllText(path, "  0x0000000000000000000000000000000000000000000000000000000000000001 \r\n");
        using NodeKey key = NodeKeyFile.Load(path);
        // 1·G, the generator: compressed 02 79BE667E...
        Assert.Equal("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", key.Id.ToString());
    }
}
