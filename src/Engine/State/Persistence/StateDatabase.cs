using System.Text;
using FASTER.core;

namespace NexusFast.Engine.State.Persistence;

/// <summary>
/// The FASTER stores behind a state store and the directory they live in:
/// <code>
/// NEXUSFAST-STATE     format marker, written when the directory is created
/// LOCK                held open (exclusively) while a process uses the directory
/// log/hlog.log.N      the record store's hybrid log: accounts, storage, code, the metadata record
/// checkpoints/        its index and log checkpoints
/// tree/log/           the tree store's hybrid log: tree nodes and preimages
/// tree/checkpoints/   its checkpoints
/// CHECKPOINT          which checkpoints are current (one per store), with checksums (<see cref="CheckpointManifest"/>)
/// </code>
/// </summary>
/// <remarks>
/// <para>Two stores, because the two kinds of record are used so differently. Every block reads and writes accounts
/// (a 50,000-transfer block touches 100,000 of them, anywhere in the state), so their log should stay in memory.
/// Tree nodes live in the <see cref="Tree.SparseMerkleForest"/>'s arena; FASTER's copies are written at checkpoints
/// and read only after recovery or past the node cache, and preimages only by proofs. Sharing one log, the nodes (two
/// per account) and preimages held three quarters of it: with 1,000,000 accounts 864 MiB that either stayed resident
/// beside the arena's copy of the same nodes (RSS 1.45 GiB) or, with a smaller log, pushed the accounts out to disk
/// (8-26 s blocks). The tree store gets a small log memory, so its records go to disk, the accounts' store keeps
/// accounts only.</para>
/// <para>One checkpoint is the pair: <see cref="Checkpoint"/> runs between blocks, when neither store changes, takes
/// both, and only then writes the manifest naming both tokens, so a crash leaves the previous pair (or none).</para>
/// </remarks>
internal sealed class StateDatabase : IDisposable
{
    public const string MarkerFileName = "NEXUSFAST-STATE";
    public const string LockFileName = "LOCK";
    private const string MarkerText = "nexusfast-state format 2\n";

    /// <summary>The tree store's folder (its log and checkpoints), inside the state directory.</summary>
    public const string TreeFolder = "tree";

    private readonly IDevice _logDevice;
    private readonly DeviceLogCommitCheckpointManager _checkpoints;
    private readonly IDevice _treeLogDevice;
    private readonly DeviceLogCommitCheckpointManager _treeCheckpoints;
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
            (_logDevice, _checkpoints, Store) = OpenStore(directory, temporary, options.IndexSizeBytes, options.LogMemoryBytes, options.LogPageBytes);
            (_treeLogDevice, _treeCheckpoints, TreeStore) = OpenStore(
                Path.Combine(directory, TreeFolder), temporary, options.EffectiveTreeIndexSizeBytes, options.TreeLogMemoryBytes, options.TreeLogPageBytes);
        }
        catch
        {
            Store?.Dispose();
            _checkpoints?.Dispose();
            _logDevice?.Dispose();
            _lock.Dispose();
            throw;
        }
    }

    private static (IDevice Device, DeviceLogCommitCheckpointManager Checkpoints, FasterKV<StateKey, StateValue> Store) OpenStore(
        string folder, bool temporary, long indexBytes, long memoryBytes, long pageBytes)
    {
        IDevice device = Devices.CreateLogDevice(Path.Combine(folder, "log", "hlog.log"), preallocateFile: false, deleteOnClose: temporary);
        DeviceLogCommitCheckpointManager? checkpoints = null;
        try
        {
            // Outdated checkpoints are deleted by Checkpoint() itself, after the manifest names the new one.
            checkpoints = new DeviceLogCommitCheckpointManager(
                new LocalStorageNamedDeviceFactory(), new DefaultCheckpointNamingScheme(Path.Combine(folder, "checkpoints")), removeOutdated: false);
            var settings = new FasterKVSettings<StateKey, StateValue>
            {
                LogDevice = device,
                IndexSize = indexBytes,
                MemorySize = memoryBytes,
                PageSize = pageBytes,
                CheckpointManager = checkpoints,
                RemoveOutdatedCheckpoints = false,
                EqualityComparer = new StateKeyComparer(),
            };
            return (device, checkpoints, new FasterKV<StateKey, StateValue>(settings));
        }
        catch
        {
            checkpoints?.Dispose();
            device.Dispose();
            throw;
        }
    }

    public string Directory { get; }

    /// <summary>Accounts, storage, code and the metadata record.</summary>
    public FasterKV<StateKey, StateValue> Store { get; }

    /// <summary>Tree nodes and preimages.</summary>
    public FasterKV<StateKey, StateValue> TreeStore { get; }

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

    /// <summary>Bytes of each store's log held in memory (head to tail) and its hash index, for diagnostics.</summary>
    public string DescribeMemory() =>
        $"records: log {Mib(Store.Log.TailAddress - Store.Log.HeadAddress)} in memory of {Mib(Store.Log.TailAddress - Store.Log.BeginAddress)}, index {Mib(Store.IndexSize * 64)} + {Store.OverflowBucketCount:N0} overflow buckets; " +
        $"tree: log {Mib(TreeStore.Log.TailAddress - TreeStore.Log.HeadAddress)} in memory of {Mib(TreeStore.Log.TailAddress - TreeStore.Log.BeginAddress)}, index {Mib(TreeStore.IndexSize * 64)} + {TreeStore.OverflowBucketCount:N0} overflow buckets";

    private static string Mib(long bytes) => $"{bytes / 1048576.0:0} MiB";

    public StateSession NewSession() => new(Store, TreeStore);

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
            TreeStore.Recover(manifest.TreeToken);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException(
                $"state directory '{Directory}': checkpoint {manifest.Token} (tree {manifest.TreeToken}) could not be recovered ({e.Message})", e);
        }
        return true;
    }

    /// <summary>
    /// A full (index and log) snapshot checkpoint of each store, then the manifest naming both, then deletion of older
    /// checkpoints; returns when all of it is on disk. Only between blocks: nothing writes to either store meanwhile.
    /// </summary>
    public void Checkpoint()
    {
        Guid token = TakeCheckpoint(Store);
        Guid treeToken = TakeCheckpoint(TreeStore);
        CheckpointManifest.Capture(Directory, token, treeToken).Write(Directory);
        Purge(_checkpoints, token);
        Purge(_treeCheckpoints, treeToken);
    }

    private static Guid TakeCheckpoint(FasterKV<StateKey, StateValue> store)
    {
        (bool started, Guid token) = store.TakeFullCheckpointAsync(CheckpointType.Snapshot).AsTask().GetAwaiter().GetResult();
        if (!started) throw new InvalidOperationException("FASTER did not start a checkpoint: another one is in progress");
        return token;
    }

    private static void Purge(DeviceLogCommitCheckpointManager checkpoints, Guid current)
    {
        var outdated = new HashSet<Guid>(checkpoints.GetLogCheckpointTokens());
        outdated.UnionWith(checkpoints.GetIndexCheckpointTokens());
        outdated.Remove(current);
        foreach (Guid old in outdated) checkpoints.Purge(old);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Store.Dispose();
        _checkpoints.Dispose();
        _logDevice.Dispose();
        TreeStore.Dispose();
        _treeCheckpoints.Dispose();
        _treeLogDevice.Dispose();
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
