using System.CommandLine;
using NexusFast.Engine.Network;

namespace NexusFast.Native.Cli;

/// <summary>
/// `nexusfast nodekey new|show`: the key that identifies a node to its peers (network.nodeKeyFile, default
/// DATA/node_key). An operator assembling a network by hand needs every node's id for the others' consensus.validators
/// (nodeId) and network.staticPeers (ID@HOST:PORT); `testnet init` writes both itself.
/// </summary>
public static class NodeKeyCommands
{
    public static Command Build()
    {
        var nodekey = new Command("nodekey", "Create a node key or print the node id of one (the identity peers dial and validators name).");
        nodekey.Add(New());
        nodekey.Add(Show());
        return nodekey;
    }

    private static Option<string> FileOption(string description) => new("--file")
    {
        Description = description,
        Required = true,
    };

    private static Command New()
    {
        Option<string> file = FileOption("Where to write the new key (refused if the file exists: an identity is never overwritten).");
        var command = new Command("new", "Write a fresh node key (64 hex digits, owner-only file) and print its node id.") { file };
        command.SetAction(result => CliRunner.Run(() =>
        {
            string path = Path.GetFullPath(result.GetValue(file)!);
            if (File.Exists(path)) throw new CliException($"{path} exists already; a node key is never overwritten (use `nexusfast nodekey show`)");
            string? directory = Path.GetDirectoryName(path);
            if (directory is not null && !Directory.Exists(directory)) throw new CliException($"directory {directory} does not exist");
            using NodeKey key = NodeKeyFile.Create(path);
            Print(key, path);
        }));
        return command;
    }

    private static Command Show()
    {
        Option<string> file = FileOption("The node key file (a node's network.nodeKeyFile, or node_key in its data directory).");
        var command = new Command("show", "Print the node id of a node key file.") { file };
        command.SetAction(result => CliRunner.Run(() =>
        {
            string path = Path.GetFullPath(result.GetValue(file)!);
            if (!File.Exists(path)) throw new CliException($"no node key file at {path} (create one with `nexusfast nodekey new --file {path}`)");
            NodeKey key;
            try
            {
                key = NodeKeyFile.Load(path);
            }
            catch (FormatException e)
            {
                throw new CliException(e.Message);
            }
            using (key) Print(key, path);
        }));
        return command;
    }

    private static void Print(NodeKey key, string path)
    {
        Console.WriteLine($"node id  {key.Id}");
        Console.WriteLine($"file     {path}");
    }
}
