using NexusFast.Engine.Consensus;
using NexusFast.Interop.Posix;

namespace NexusFast.Engine.Tests.Interop;

public sealed class DirectorySyncTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("nexusfast-dirsync-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Flushing_an_existing_directory_succeeds()
    {
        DirectorySync.Flush(_directory);
    }

    [Fact]
    public void A_missing_directory_or_a_file_is_an_io_error_naming_it()
    {
        string missing = Path.Combine(_directory, "missing");
        Assert.Contains(missing, Assert.Throws<IOException>(() => DirectorySync.Flush(missing)).Message);
        string file = Path.Combine(_directory, "file");
        File.WriteAllText(file, "x");
        // O_DIRECTORY: a regular file is refused (ENOTDIR, 20) rather than flushed as if it were the directory.
        Assert.Contains("errno 20", Assert.Throws<IOException>(() => DirectorySync.Flush(file)).Message);
    }

    [Fact]
    public void Atomic_replace_leaves_the_new_content_and_no_temporary_file()
    {
        string path = Path.Combine(_directory, "state");
        AtomicFile.Replace(path, [1, 2, 3]);
        AtomicFile.Replace(path, [4, 5]);
        Assert.Equal(new byte[] { 4, 5 }, File.ReadAllBytes(path));
        Assert.False(File.Exists(path + ".tmp"));
    }
}
