using NexusFast.Engine.State;
using NexusFast.Engine.State.Persistence;

namespace NexusFast.Engine.Tests.State;

public class TemporaryStoreTests
{
    [Fact]
    public void Opening_an_in_memory_store_removes_the_temporaries_of_dead_processes_only()
    {
        // A pid above Linux's default pid_max (4194304) cannot be running.
        string orphan = Path.Combine(Path.GetTempPath(), $"nexusfast-state-4999999-{Guid.NewGuid():N}");
        string alive = Path.Combine(Path.GetTempPath(), $"nexusfast-state-{Environment.ProcessId}-{Guid.NewGuid():N}");
        string foreign = Path.Combine(Path.GetTempPath(), $"nexusfast-state-4999999-{Guid.NewGuid():N}");
        try
        {
            using (StateStore first = StateStore.OpenInMemory())
            {
                // Give the two pretend leftovers the marker a real temporary store has; the foreign one has none.
                const string marker = StateDatabase.MarkerFileName;
                foreach (string dir in new[] { orphan, alive })
                {
                    Directory.CreateDirectory(dir);
                    File.Copy(Path.Combine(first.Directory, marker), Path.Combine(dir, marker));
                }
                Directory.CreateDirectory(foreign);
            }

            using (StateStore.OpenInMemory())
            {
            }

            Assert.False(Directory.Exists(orphan));
            Assert.True(Directory.Exists(alive));
            Assert.True(Directory.Exists(foreign));
        }
        finally
        {
            foreach (string dir in new[] { orphan, alive, foreign })
            {
                if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
            }
        }
    }
}
