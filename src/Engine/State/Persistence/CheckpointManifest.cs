using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace NexusFast.Engine.State.Persistence;

/// <summary>
/// The file that makes a FASTER checkpoint count: which checkpoint is current, and the length and SHA-256 of each of
/// its files (index, log metadata, snapshot) plus the length of each log segment at that moment.
/// <code>
/// nexusfast-state-checkpoint 1
/// token 6f1c...
/// file checkpoints/cpr-checkpoints/6f1c.../snapshot.dat.0 1048576 9a0b...
/// log log/hlog.log.0 33554432
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
    private const string Header = "nexusfast-state-checkpoint 1";

    private CheckpointManifest(Guid token, List<(string Path, long Length, string Sha256)> files, List<(string Path, long Length)> logSegments)
    {
        Token = token;
        Files = files;
        LogSegments = logSegments;
    }

    public Guid Token { get; }

    public List<(string Path, long Length, string Sha256)> Files { get; }

    public List<(string Path, long Length)> LogSegments { get; }

    /// <summary>Describes the files of checkpoint <paramref name="token"/> as they are now.</summary>
    public static CheckpointManifest Capture(string directory, Guid token)
    {
        var files = new List<(string, long, string)>();
        foreach (string kind in new[] { "index-checkpoints", "cpr-checkpoints" })
        {
            string folder = Path.Combine(directory, "checkpoints", kind, token.ToString());
            if (!System.IO.Directory.Exists(folder)) continue;
            foreach (string file in System.IO.Directory.GetFiles(folder).Order(StringComparer.Ordinal))
            {
                using FileStream stream = File.OpenRead(file);
                string sha256 = Convert.ToHexStringLower(SHA256.HashData(stream));
                files.Add((Path.GetRelativePath(directory, file), stream.Length, sha256));
            }
        }

        var segments = new List<(string, long)>();
        string logFolder = Path.Combine(directory, "log");
        if (System.IO.Directory.Exists(logFolder))
        {
            foreach (string file in System.IO.Directory.GetFiles(logFolder).Order(StringComparer.Ordinal))
            {
                segments.Add((Path.GetRelativePath(directory, file), new FileInfo(file).Length));
            }
        }
        return new CheckpointManifest(token, files, segments);
    }

    /// <summary>Replaces the manifest atomically (write, flush to disk, rename).</summary>
    public void Write(string directory)
    {
        var text = new StringBuilder();
        text.Append(Header).Append('\n');
        text.Append("token ").Append(Token.ToString()).Append('\n');
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
        if (lines.Length < 2 || lines[0] != Header) throw Malformed(path, 1, lines.Length > 0 ? lines[0] : "");
        string[] tokenLine = lines[1].Split(' ');
        if (tokenLine.Length != 2 || tokenLine[0] != "token" || !Guid.TryParse(tokenLine[1], out Guid token)) throw Malformed(path, 2, lines[1]);

        var files = new List<(string, long, string)>();
        var segments = new List<(string, long)>();
        for (int i = 2; i < lines.Length; i++)
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
        manifest = new CheckpointManifest(token, files, segments);
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

    private static bool TryLength(string text, out long length) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out length);

    private static InvalidDataException Malformed(string path, int line, string text) =>
        new($"checkpoint manifest '{path}' is malformed at line {line}: '{text}'");
}
