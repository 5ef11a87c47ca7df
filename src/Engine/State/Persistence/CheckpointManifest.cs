using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace NexusFast.Engine.State.Persistence;

/// <summary>
/// The file that makes a pair of FASTER checkpoints count (the record store's and the tree store's, see
/// <see cref="StateDatabase"/>): which checkpoints are current, and the length and SHA-256 of each of their files
/// (index, log metadata, snapshot) plus the length of each log segment at that moment.
/// <code>
/// nexusfast-state-checkpoint 2
/// token 6f1c...
/// tree-token 0b7e...
/// file checkpoints/cpr-checkpoints/6f1c.../snapshot.dat.0 1048576 9a0b...
/// file tree/checkpoints/cpr-checkpoints/0b7e.../snapshot.dat.0 65536 3c4d...
/// log log/hlog.log.0 33554432
/// log tree/log/hlog.log.0 268435456
/// </code>
/// FASTER trusts its files: a damaged snapshot or index can crash the process (access violation) rather than fail a
/// read. Checking the manifest first turns damage into a precise error. It is written after FASTER's checkpoint
/// completes (temporary file, flushed, renamed over the old one), and older checkpoints are deleted only after that,
/// so a crash at any point leaves one complete, verifiable checkpoint or none. Log segments are checked for length
/// only (hashing the whole log at every checkpoint would cost more than the checkpoint).
/// </summary>
internal sealed class CheckpointManifest
{
    public const string FileName = "CHECKPOINT";
    private const string Header = "nexusfast-state-checkpoint 2";

    private CheckpointManifest(Guid token, Guid treeToken, List<(string Path, long Length, string Sha256)> files, List<(string Path, long Length)> logSegments)
    {
        Token = token;
        TreeToken = treeToken;
        Files = files;
        LogSegments = logSegments;
    }

    /// <summary>The record store's checkpoint.</summary>
    public Guid Token { get; }

    /// <summary>The tree store's checkpoint, taken right after <see cref="Token"/>'s with no block in between.</summary>
    public Guid TreeToken { get; }

    public List<(string Path, long Length, string Sha256)> Files { get; }

    public List<(string Path, long Length)> LogSegments { get; }

    /// <summary>Describes the files of checkpoints <paramref name="token"/> and <paramref name="treeToken"/> as they are now.</summary>
    public static CheckpointManifest Capture(string directory, Guid token, Guid treeToken)
    {
        var files = new List<(string, long, string)>();
        var segments = new List<(string, long)>();
        CaptureStore(directory, directory, token, files, segments);
        CaptureStore(directory, Path.Combine(directory, StateDatabase.TreeFolder), treeToken, files, segments);
        return new CheckpointManifest(token, treeToken, files, segments);
    }

    private static void CaptureStore(string directory, string folder, Guid token, List<(string, long, string)> files, List<(string, long)> segments)
    {
        foreach (string kind in new[] { "index-checkpoints", "cpr-checkpoints" })
        {
            string checkpoint = Path.Combine(folder, "checkpoints", kind, token.ToString());
            if (!System.IO.Directory.Exists(checkpoint)) continue;
            foreach (string file in System.IO.Directory.GetFiles(checkpoint).Order(StringComparer.Ordinal))
            {
                using FileStream stream = File.OpenRead(file);
                string sha256 = Convert.ToHexStringLower(SHA256.HashData(stream));
                files.Add((Path.GetRelativePath(directory, file), stream.Length, sha256));
            }
        }

        string logFolder = Path.Combine(folder, "log");
        if (System.IO.Directory.Exists(logFolder))
        {
            foreach (string file in System.IO.Directory.GetFiles(logFolder).Order(StringComparer.Ordinal))
            {
                segments.Add((Path.GetRelativePath(directory, file), new FileInfo(file).Length));
            }
        }
    }

    /// <summary>Replaces the manifest atomically (write, flush to disk, rename).</summary>
    public void Write(string directory)
    {
        var text = new StringBuilder();
        text.Append(Header).Append('\n');
        text.Append("token ").Append(Token.ToString()).Append('\n');
        text.Append("tree-token ").Append(TreeToken.ToString()).Append('\n');
        foreach (var (path, length, sha256) in Files) text.Append("file ").Append(path).Append(' ').Append(length).Append(' ').Append(sha256).Append('\n');
        foreach (var (path, length) in LogSegments) text.Append("log ").Append(path).Append(' ').Append(length).Append('\n');

        string final = Path.Combine(directory, FileName);
        string temporary = final + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(Encoding.ASCII.GetBytes(text.ToString()));
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, final, overwrite: true);
    }

    /// <summary>Reads the manifest; false when there is none (no checkpoint was ever completed).</summary>
    /// <exception cref="InvalidDataException">The manifest exists but is malformed.</exception>
    public static bool TryRead(string directory, [NotNullWhen(true)] out CheckpointManifest? manifest)
    {
        manifest = null;
        string path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) return false;

        string[] lines = File.ReadAllText(path, Encoding.ASCII).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length < 3 || lines[0] != Header) throw Malformed(path, 1, lines.Length > 0 ? lines[0] : "");
        if (!TryToken(lines[1], "token", out Guid token)) throw Malformed(path, 2, lines[1]);
        if (!TryToken(lines[2], "tree-token", out Guid treeToken)) throw Malformed(path, 3, lines[2]);

        var files = new List<(string, long, string)>();
        var segments = new List<(string, long)>();
        for (int i = 3; i < lines.Length; i++)
        {
            string[] parts = lines[i].Split(' ');
            if (parts.Length == 4 && parts[0] == "file" && TryLength(parts[2], out long fileLength) && parts[3].Length == 64)
            {
                files.Add((parts[1], fileLength, parts[3]));
            }
            else if (parts.Length == 3 && parts[0] == "log" && TryLength(parts[2], out long logLength))
            {
                segments.Add((parts[1], logLength));
            }
            else
            {
                throw Malformed(path, i + 1, lines[i]);
            }
        }
        if (files.Count == 0) throw new InvalidDataException($"checkpoint manifest '{path}' lists no checkpoint files");
        manifest = new CheckpointManifest(token, treeToken, files, segments);
        return true;
    }

    /// <summary>Checks every listed file against the disk.</summary>
    /// <exception cref="InvalidDataException">A file is missing, shorter, longer or different (the message names it).</exception>
    public void Verify(string directory)
    {
        foreach (var (relative, length, sha256) in Files)
        {
            string file = Path.Combine(directory, relative);
            if (!File.Exists(file)) throw new InvalidDataException($"checkpoint file '{file}' is missing");
            using FileStream stream = File.OpenRead(file);
            if (stream.Length != length)
            {
                throw new InvalidDataException($"checkpoint file '{file}' is {stream.Length} bytes, the checkpoint wrote {length}");
            }
            string actual = Convert.ToHexStringLower(SHA256.HashData(stream));
            if (actual != sha256) throw new InvalidDataException($"checkpoint file '{file}' is corrupt: its SHA-256 is {actual}, the checkpoint wrote {sha256}");
        }
        foreach (var (relative, length) in LogSegments)
        {
            string file = Path.Combine(directory, relative);
            long actual = File.Exists(file) ? new FileInfo(file).Length : -1;
            if (actual < length)
            {
                throw new InvalidDataException(actual < 0
                    ? $"log segment '{file}' is missing"
                    : $"log segment '{file}' is {actual} bytes, shorter than the {length} it had at the checkpoint");
            }
        }
    }

    private static bool TryToken(string line, string name, out Guid token)
    {
        token = default;
        string[] parts = line.Split(' ');
        return parts.Length == 2 && parts[0] == name && Guid.TryParse(parts[1], out token);
    }

    private static bool TryLength(string text, out long length) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out length);

    private static InvalidDataException Malformed(string path, int line, string text) =>
        new($"checkpoint manifest '{path}' is malformed at line {line}: '{text}'");
}
