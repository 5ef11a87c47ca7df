using System.Text;
using FASTER.core;

namespace NexusFast.Engine.State.Persistence;

/// <summary>
/// The FASTER instance behind a state store and the directory it lives in:
/// <code>
/// NEXUSFAST-STATE     format marker, written when the directory is created
/// LOCK                held open (exclusively) while a process uses the directory
/// log/hlog.log.N      FASTER's hybrid log segments
/// checkpoints/        FASTER's index and log checkpoints
/// CHECKPOINT          which checkpoint is current, with checksums (<see cref="CheckpointManifest"/>)
/// </code>
/// Accounts, storage, tree nodes and the metadata record share one FASTER store, so one checkpoint captures all of
/// them at once: the recovered block number cannot disagree with the recovered data.
/// </summary>
internal sealed class StateDatabase : IDisposable
{
    public const string MarkerFileName = "NEXUSFAST-STATE";
    public const string LockFileName = "LOCK";
    private const string MarkerText = "nexusfast-state format 1\n";

    private readonly IDevice _logDevice;
    private readonly DeviceLogCommitCheckpointManager _checkpoints;
    private readonly FileStream _lock;
    private readonly bool _temporary;
    private bool _disposed;

    private StateDatabase(string directory, bool temporary, StateStoreOptions options)
    {
        Directory = directory;
        _temporary = temporary;
        _lock = AcquireLock(directory);
        try
        {
            _logDevice = Devices.CreateLogDevice(Path.Combine(directory, "log", "hlog.log"), preallocateFile: false, deleteOnClose: temporary);

            // Outdated checkpoints are deleted by Checkpoint() itself, after the manifest names the new one.
            _checkpoints = new DeviceLogCommitCheckpointManager(
                new LocalStorageNamedDeviceFactory(), new DefaultCheckpointNamingScheme(Path.Combine(directory, "checkpoints")), removeOutdated: false);
            var settings = new FasterKVSettings<StateKey, StateValue>
            {
                LogDevice = _logDevice,
                IndexSize = options.IndexSizeBytes,
                MemorySize = options.LogMemoryBytes,
                PageSize = options.LogPageBytes,
                CheckpointManager = _checkpoints,
                RemoveOutdatedCheckpoints = false,
                EqualityComparer = new StateKeyComparer(),
            };
            Store = new FasterKV<StateKey, StateValue>(settings);
        }
        catch
        {
            _checkpoints?.Dispose();
            _logDevice?.Dispose();
            _lock.Dispose();
            throw;
        }
    }

    public string Directory { get; }

    public FasterKV<StateKey, StateValue> Store { get; }

    /// <summary>Opens (creating if missing or empty) a state directory; refuses anything that is not one.</summary>
    public static StateDatabase OpenDirectory(string directory, StateStoreOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        string full = Path.GetFullPath(directory);
        if (File.Exists(full)) throw new IOException($"state directory '{full}' is a file, not a directory");
        System.IO.Directory.CreateDirectory(full);

        string marker = Path.Combine(full, MarkerFileName);
        if (!File.Exists(marker))
        {
            if (System.IO.Directory.EnumerateFileSystemEntries(full).Any())
            {
                throw new InvalidDataException(
                    $"'{full}' is not a NexusFast state directory: it holds files but no {MarkerFileName} marker");
            }
            File.WriteAllText(marker, MarkerText, Encoding.ASCII);
        }
        else
        {
            string text = File.ReadAllText(marker, Encoding.ASCII);
            if (text != MarkerText)
            {
                throw new InvalidDataException(
                    $"state directory '{full}' has marker '{text.Trim()}', this build reads '{MarkerText.Trim()}'");
            }
        }
        return new StateDatabase(full, temporary: false, options);
    }

    /// <summary>A private directory under the system temp folder, deleted on dispose (tests, devnet).</summary>
    public static StateDatabase OpenTemporary(StateStoreOptions options)
    {
        RemoveOrphanedTemporaries();
        string directory = Path.Combine(Path.GetTempPath(), $"{TemporaryPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, MarkerFileName), MarkerText, Encoding.ASCII);
        return new StateDatabase(directory, temporary: true, options);
    }

    public StateSession NewSession() => new(Store);

    private const string TemporaryPrefix = "nexusfast-state-";

    /// <summary>
    /// A process killed while it held an in-memory store (a devnet, a test) leaves its temporary directory behind. The
    /// directory names its process; once that process is gone, nobody can use the directory again, so it is removed.
    /// </summary>
    private static void RemoveOrphanedTemporaries()
    {
        string[] candidates;
        try
        {
            candidates = System.IO.Directory.GetDirectories(Path.GetTempPath(), TemporaryPrefix + "*");
        }
        catch (IOException)
        {
            return;
        }
        foreach (string candidate in candidates)
        {
            string name = Path.GetFileName(candidate);
            int dash = name.IndexOf('-', TemporaryPrefix.Length);
            if (dash < 0 || !int.TryParse(name.AsSpan(TemporaryPrefix.Length, dash - TemporaryPrefix.Length), out int pid)) continue;
            if (pid == Environment.ProcessId || IsRunning(pid) || !File.Exists(Path.Combine(candidate, MarkerFileName))) continue;
            try
            {
                System.IO.Directory.Delete(candidate, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another sweeper got there first, or it is not ours to delete: leave it.
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>
    /// Restores the checkpoint the manifest names, after checking its files; false when no checkpoint was ever
    /// completed. Records written after the checkpoint are undone.
    /// </summary>
    /// <exception cref="InvalidDataException">The manifest or a checkpoint file is damaged, or FASTER cannot recover.</exception>
    public bool Recover()
    {
        CheckpointManifest? manifest;
        try
        {
            if (!CheckpointManifest.TryRead(Directory, out manifest)) return false;
            manifest.Verify(Directory);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"state directory '{Directory}': {e.Message}", e);
        }

        try
        {
            Store.Recover(manifest.Token);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"state directory '{Directory}': checkpoint {manifest.Token} could not be recovered ({e.Message})", e);
        }
        return true;
    }

    /// <summary>
    /// A full (index and log) snapshot checkpoint, then the manifest naming it, then deletion of older checkpoints;
    /// returns when all of it is on disk.
    /// </summary>
    public void Checkpoint()
    {
        (bool started, Guid token) = Store.TakeFullCheckpointAsync(CheckpointType.Snapshot).AsTask().GetAwaiter().GetResult();
        if (!started) throw new InvalidOperationException("FASTER did not start a checkpoint: another one is in progress");
        CheckpointManifest.Capture(Directory, token).Write(Directory);

        var outdated = new HashSet<Guid>(_checkpoints.GetLogCheckpointTokens());
        outdated.UnionWith(_checkpoints.GetIndexCheckpointTokens());
        outdated.Remove(token);
        foreach (Guid old in outdated) _checkpoints.Purge(old);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Store.Dispose();
        _checkpoints.Dispose();
        _logDevice.Dispose();
        _lock.Dispose();
        if (_temporary)
        {
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless; failing Dispose over it would hide the real outcome.
            }
        }
    }

    private static FileStream AcquireLock(string directory)
    {
        string path = Path.Combine(directory, LockFileName);
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new IOException($"state directory '{directory}' is in use by another store (cannot lock {LockFileName})", e);
        }
    }
}
