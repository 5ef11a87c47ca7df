using System.Globalization;
using System.Text;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;

namespace NexusFast.RpcLoad;

/// <summary>
/// `NexusFast.RpcLoad OUTDIR SENDERS PER_SENDER THREADS CHAIN_ID`: pre-signs SENDERS x PER_SENDER EIP-1559 transfers
/// and writes, for each wrk thread t, OUTDIR/tx-t.txt (one JSON-RPC eth_sendRawTransaction body a line) holding the
/// transfers of the senders s with s % THREADS == t, round-robin by sender with nonces in order per sender, and
/// OUTDIR/genesis-alloc.json (the senders' addresses funded, for the node's genesis.alloc).
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

        // Keys 0x..01, 0x..02, ...: valid secp256k1 secrets, and the same accounts every run.
        var secrets = new byte[senders][];
        var addresses = new Address[senders];
        for (int s = 0; s < senders; s++)
        {
            secrets[s] = new byte[32];
            secrets[s][28] = (byte)((s + 1) >> 24);
            secrets[s][29] = (byte)((s + 1) >> 16);
            secrets[s][30] = (byte)((s + 1) >> 8);
            secrets[s][31] = (byte)(s + 1);
        }

        var recipient = Address.Parse("0x00000000000000000000000000000000000000bb");
        var writers = new StreamWriter[threads];
        for (int t = 0; t < threads; t++) writers[t] = new StreamWriter(Path.Combine(outDir, $"tx-{t}.txt"));
        for (int nonce = 0; nonce < perSender; nonce++)
        {
            for (int s = 0; s < senders; s++)
            {
                var tx = new Transaction
                {
                    Type = TxType.DynamicFee,
                    ChainId = chainId,
                    Nonce = (ulong)nonce,
                    MaxFeePerGas = new UInt256(100_000_000_000),
                    MaxPriorityFeePerGas = new UInt256(1_000_000_000),
                    GasLimit = 21_000,
                    To = recipient,
                    Value = new UInt256(1),
                };
                TransactionSigner.Sign(tx, secrets[s]);
                addresses[s] = tx.Sender;
                writers[s % threads].Write("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_sendRawTransaction\",\"params\":[\"0x");
                writers[s % threads].Write(Convert.ToHexStringLower(TransactionEncoder.Encode(tx)));
                writers[s % threads].Write("\"]}\n");
            }
        }
        foreach (StreamWriter writer in writers) writer.Dispose();

        var alloc = new StringBuilder("{");
        for (int s = 0; s < senders; s++)
        {
            if (s > 0) alloc.Append(',');
            alloc.Append('"').Append(addresses[s].ToString()).Append("\":\"1000000000000000000000000\"");
        }
        alloc.Append('}');
        File.WriteAllText(Path.Combine(outDir, "genesis-alloc.json"), alloc.ToString());
        Console.WriteLine($"{senders * perSender} transfers from {senders} senders written to {outDir}");
        return 0;
    }
}
