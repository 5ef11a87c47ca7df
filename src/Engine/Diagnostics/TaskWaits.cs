namespace NexusFast.Engine.Diagnostics;

/// <summary>Waiting for helper tasks on a path that is already failing.</summary>
internal static class TaskWaits
{
    /// <summary>
    /// Waits for a task and leaves its failure to <c>GetResult</c> (or to the exception already propagating): used where
    /// a helper still reads shared buffers and must finish before the caller goes on, whatever became of it.
    /// </summary>
    public static void WaitQuietly(Task task)
    {
        try
        {
            task.Wait();
        }
        catch (AggregateException)
        {
        }
    }
}
