namespace NexusFast.Native.Config;

/// <summary>Bad configuration from a file, the environment or a flag; the message names the source and the field.</summary>
public sealed class ConfigException(string message) : Exception(message);
