using System.Text.Json;
using NexusFast.Engine.Chain;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Ledger.Codec;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.Storage;
using NexusFast.Native.Rpc;
using NexusFast.Native.Rpc.Logs;
using NexusFast.Native.Tests.Support;
using static NexusFast.Native.Tests.Rpc.Logs.LogFilterTests;

namespace NexusFast.Native.Tests.Rpc.Logs;

/// <summary>
/// Log queries over stored blocks whose receipts carry hand-built logs (no VM yet): block-wide log indexes, the bloom
/// skip, the result limit, and eth_getLogs' parameter handling over a live node.
/// </summary>
public sealed class LogQueryTests
{
    /// <summary>A store with genesis and <paramref name="logsPerBlock"/>[i] as block i+1's receipts' logs (one receipt per entry).</summary>
    private static BlockStore StoreWith(params LogEntry[][][] logsPerBlock)
    {
        var store = new BlockStore(new MemoryBlockLog());
        Block genesis = Blockchain.BuildGenesis(TestNode.ChainOptions(), out _);
        store.Append(genesis, []);
        Hash256 parent = genesis.Hash;
        ulong nonce = 0;
        for (int b = 0; b < logsPerBlock.Length; b++)
        {
            var txs = new List<Transaction>();
            var receipts = new List<Receipt>();
            ulong gas = 0;
            foreach (LogEntry[] logs in logsPerBlock[b])
            {
                Transaction tx = TestNode.Transfer(0, nonce++, TestNode.Account(1), UInt256.One);
                gas += 21_000;
                txs.Add(tx);
                receipts.Add(new Receipt
                {
                    Type = tx.Type, Success = true, GasUsed = 21_000, CumulativeGasUsed = gas, EffectiveGasPrice = UInt256.One,
                    Logs = logs, Bloom = LogsBloom.FromLogs(logs), TransactionHash = tx.Hash, From = tx.Sender, To = tx.To,
                });
            }
            var header = new BlockHeader
            {
                ParentHash = parent, Number = (ulong)b + 1, Timestamp = 1_700_000_001 + (ulong)b, GasUsed = gas, GasLimit = 30_000_000,
                BaseFeePerGas = UInt256.One, LogsBloom = BlockAssembler.Bloom(receipts),
                TransactionsRoot = BlockAssembler.TransactionsRoot(txs), ReceiptsRoot = BlockAssembler.ReceiptsRoot(receipts),
            };
            var block = new Block(header, BlockHeaderCodec.ComputeHash(header), txs.ToArray());
            store.Append(block, receipts);
            parent = block.Hash;
        }
        return store;
    }

    [Fact]
    public void Matches_carry_block_wide_log_indexes_and_their_transaction()
    {
        using BlockStore store = StoreWith(
            [[new(A, [T1], [1]), new(B, [T2], [2])], [new(A, [T2], [3])]],
            [[new(B, [T1], [4])]]);
        var results = new List<LogMatch>();
        Assert.Equal(LogQueryOutcome.Complete, LogQuery.Run(store, new LogFilter([], [[T2]]), 0, 2, 100, results));
        Assert.Equal(2, results.Count);
        Assert.Equal((1UL, 1, 0), (results[0].Block.Number, results[0].LogIndex, results[0].TransactionIndex));
        Assert.Equal((1UL, 2, 1), (results[1].Block.Number, results[1].LogIndex, results[1].TransactionIndex));
        Assert.Equal(results[1].Block.Transactions[1].Hash, results[1].TransactionHash);
        Assert.Equal(new byte[] { 3 }, results[1].Log.Data);

        results.Clear();
        LogQuery.Run(store, new LogFilter([B], [[T1]]), 0, 2, 100, results);
        Assert.Equal(2UL, Assert.Single(results).Block.Number);
    }

    [Fact]
    public void A_query_stops_at_the_result_limit()
    {
        using BlockStore store = StoreWith(new LogEntry[][] { [new(A, [T1], []), new(A, [T1], []), new(A, [T1], [])] });
        var results = new List<LogMatch>();
        Assert.Equal(LogQueryOutcome.TooManyResults, LogQuery.Run(store, LogFilter.Any, 0, 1, 2, results));
        Assert.Equal(LogQueryOutcome.Complete, LogQuery.Run(store, LogFilter.Any, 0, 1, 3, results = []));
        Assert.Equal(3, results.Count);
    }

    [Fact]
    public void Blocks_the_bloom_rules_out_are_skipped_and_their_logs_never_inspected()
    {
        // Block 1's header bloom is empty although its receipt holds a matching log: the bloom is authoritative, so the
        // query must not look inside. (A consistent store never has this; it shows the skip happens.)
        var store = new BlockStore(new MemoryBlockLog());
        Block genesis = Blockchain.BuildGenesis(TestNode.ChainOptions(), out _);
        store.Append(genesis, []);
        Transaction tx = TestNode.Transfer(0, 0, TestNode.Account(1), UInt256.One);
        LogEntry[] logs = [new(A, [T1], [])];
        var header = new BlockHeader { ParentHash = genesis.Hash, Number = 1, GasLimit = 30_000_000, LogsBloom = LogsBloom.Empty };
        store.Append(new Block(header, BlockHeaderCodec.ComputeHash(header), [tx]),
            [new Receipt { Type = tx.Type, Success = true, Logs = logs, Bloom = LogsBloom.FromLogs(logs), TransactionHash = tx.Hash, From = tx.Sender, To = tx.To }]);
        var results = new List<LogMatch>();
        LogQuery.Run(store, new LogFilter([A], []), 0, 1, 10, results);
        Assert.Empty(results);
        LogQuery.Run(store, LogFilter.Any, 0, 1, 10, results);
        Assert.Single(results);
        store.Dispose();
    }

    [Fact]
    public async Task Get_logs_over_a_node_resolves_ranges_and_refuses_bad_filters()
    {
        await using TestNode node = await TestNode.StartAsync(rpcOptions: new RpcOptions { LogsBlockRangeMax = 5 });
        await node.ResultAsync("evm_mine", "[{\"blocks\":3}]");
        JsonElement logs = await node.ResultAsync("eth_getLogs", $"[{{\"fromBlock\":\"0x0\",\"toBlock\":\"latest\",\"address\":\"{A}\",\"topics\":[\"{T1}\",null,[\"{T2}\",null]]}}]");
        Assert.Equal(0, logs.GetArrayLength());
        Assert.Equal(0, (await node.ResultAsync("eth_getLogs", "[{}]")).GetArrayLength());
        Assert.Equal(0, (await node.ResultAsync("eth_getLogs", "[{\"fromBlock\":\"0x9\",\"toBlock\":\"0xa\"}]")).GetArrayLength());
        string genesis = node.Chain.Genesis.Hash.ToString();
        Assert.Equal(0, (await node.ResultAsync("eth_getLogs", $"[{{\"blockHash\":\"{genesis}\"}}]")).GetArrayLength());

        (int code, string message) = await node.ErrorAsync("eth_getLogs", $"[{{\"blockHash\":\"{genesis}\",\"fromBlock\":\"0x0\"}}]");
        Assert.Equal((RpcError.InvalidParams, "invalid argument 0 (filter): cannot specify both blockHash and fromBlock/toBlock, choose one or the other"), (code, message));
        (code, message) = await node.ErrorAsync("eth_getLogs", "[{\"fromBlock\":\"0x2\",\"toBlock\":\"0x1\"}]");
        Assert.Equal((RpcError.InvalidParams, "invalid argument 0 (filter): fromBlock 2 is after toBlock 1"), (code, message));
        (code, message) = await node.ErrorAsync("eth_getLogs", "[{\"topics\":[null,null,null,null,null]}]");
        Assert.Equal((RpcError.InvalidParams, "invalid argument 0 (filter): topics: more than 4 positions (a log has at most four topics)"), (code, message));
        (code, message) = await node.ErrorAsync("eth_getLogs", "[{\"address\":\"0x12\"}]");
        Assert.Equal(RpcError.InvalidParams, code);
        Assert.StartsWith("invalid argument 0 (filter): address: hex string has length 2", message);
        (code, message) = await node.ErrorAsync("eth_getLogs", "[{\"topics\":[\"0x01\"]}]");
        Assert.StartsWith("invalid argument 0 (filter): topics[0]: hex string has length 2", message);
        (code, message) = await node.ErrorAsync("eth_getLogs", $"[{{\"blockHash\":\"0x{new string('9', 64)}\"}}]");
        Assert.Equal(RpcError.ServerError, code);
        Assert.StartsWith("unknown block", message);
        (code, message) = await node.ErrorAsync("eth_getLogs", "[]");
        Assert.Equal((RpcError.InvalidParams, "missing value for required argument 0 (filter)"), (code, message));

        await node.ResultAsync("evm_mine", "[{\"blocks\":5}]");
        (code, message) = await node.ErrorAsync("eth_getLogs", "[{\"fromBlock\":\"earliest\"}]");
        Assert.Equal(RpcError.LimitExceeded, code);
        Assert.StartsWith("query exceeds max block range 5", message);
    }
}
