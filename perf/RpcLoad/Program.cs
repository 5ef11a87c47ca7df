using System.Globalization;
using System.Text;
using NexusFast.Load;

namespace NexusFast.RpcLoad;

/// <summary>
/// `NexusFast.RpcLoad OUTDIR SENDERS PER_SENDER THREADS CHAIN_ID`: pre-signs SENDERS x PER_SENDER EIP-1559 transfers
/// (the TPS driver's workload, <see cref="TransferSet"/>: secrets 1..SENDERS, nonces in order per sender) and writes,
/// for each wrk thread t, OUTDIR/tx-t.txt (one JSON-RPC eth_sendRawTransaction body a line) holding the transfers of
/// the senders s with s % THREADS == t, round-robin by sender, and OUTDIR/genesis-alloc.json (the senders funded, for
/// the node's genesis.alloc).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        string outDir = args[0];
        int senders = int.Parse(args[1], CultureInfo.InvariantCulture);
        int perSender = int.Parse(args[2], CultureInfo.InvariantCulture);
        int threads = int.Parse(args[3], CultureInfo.InvariantCulture);
        ulong chainId = ulong.Parse(args[4], CultureInfo.InvariantCulture);
        Directory.CreateDirectory(outDir);

        // Transaction i is sender i % senders with nonce i / senders: in file order, nonces stay in order per sender.
        TransferSet transfers = TransferSet.Sign(senders * perSender, senders, chainId);
        var writers = new StreamWriter[threads];
        for (int t = 0; t < threads; t++) writers[t] = new StreamWriter(Path.Combine(outDir, $"tx-{t}.txt"));
        for (int i = 0; i < transfers.Count; i++)
        {
            StreamWriter writer = writers[i % senders % threads];
            writer.Write("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_sendRawTransaction\",\"params\":[\"");
            writer.Write(Encoding.ASCII.GetString(transfers.RawHex[i]));
            writer.Write("\"]}\n");
        }
        foreach (StreamWriter writer in writers) writer.Dispose();

        File.WriteAllText(Path.Combine(outDir, "genesis-alloc.json"), TransferSet.GenesisAlloc(transfers.Senders));
        Console.WriteLine($"{transfers.Count} transfers from {senders} senders written to {outDir}");
        return 0;
    }
}
