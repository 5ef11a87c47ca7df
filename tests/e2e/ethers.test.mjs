// ethers v6 against the devnet (automine): transfers, balances, nonces, blocks, receipts, typed errors, a replacement.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Wallet, parseEther, parseUnits, toQuantity } from "ethers";
import { rpc, rpcResult, startDevnet } from "./lib/devnet.mjs";
import {
  ACCOUNT0, BASE_FEE_WEI, CHAIN_ID, DEV_BALANCE_WEI, GAS_LIMIT, KEY0, TRANSFER_GAS,
  assertBlockFormat, assertReceiptFormat, assertTransactionFormat, devKey, ethersProvider,
} from "./lib/chain.mjs";

describe("ethers v6 against nexusfast devnet", { timeout: 60_000 }, () => {
  let node;
  let provider;

  before(async () => {
    node = await startDevnet();
    provider = ethersProvider(node.url);
  });

  after(async () => {
    provider?.destroy();
    if (node) assert.equal(await node.stop(), 0, `nexusfast exits 0 after SIGTERM; output:\n${node.output()}`);
  });

  /** A funded dev wallet; each test uses its own account so balances and nonces stay independent. */
  const devWallet = (i) => new Wallet(devKey(i), provider);
  /** A recipient nobody has used, so its balance is exactly what a test sent it. */
  const freshAddress = () => Wallet.createRandom().address;

  it("reports chain id 31337 and the dev accounts of the standard mnemonic, each funded", async () => {
    const network = await provider.getNetwork();
    assert.equal(network.chainId, BigInt(CHAIN_ID));
    const accounts = await provider.send("eth_accounts", []);
    assert.equal(accounts.length, 10);
    for (let i = 0; i < accounts.length; i++) {
      const expected = new Wallet(devKey(i)).address;
      assert.equal(accounts[i].toLowerCase(), expected.toLowerCase(), `account ${i}`);
      assert.equal(await provider.getBalance(expected), DEV_BALANCE_WEI, `balance of account ${i}`);
    }
    assert.equal(accounts[0].toLowerCase(), ACCOUNT0.toLowerCase());
    assert.equal(new Wallet(KEY0).address, ACCOUNT0);
    assert.equal(await provider.getBlockNumber(), 0);
  });

  it("sends a legacy (type 0) transfer and charges exactly value + gasUsed * gasPrice", async () => {
    const wallet = devWallet(1);
    const to = freshAddress();
    const before = await provider.getBalance(wallet.address);
    const value = parseEther("1.5");

    const tx = await wallet.sendTransaction({ to, value, type: 0 });
    assert.equal(tx.type, 0);
    assert.equal(tx.nonce, 0);
    assert.ok(tx.gasPrice >= BASE_FEE_WEI, `gasPrice ${tx.gasPrice} covers the base fee`);
    assert.equal(tx.maxFeePerGas, null);
    const receipt = await tx.wait();

    assert.equal(receipt.status, 1);
    assert.equal(receipt.type, 0);
    assert.equal(receipt.hash, tx.hash);
    assert.equal(receipt.from, wallet.address);
    assert.equal(receipt.to, to);
    assert.equal(receipt.gasUsed, TRANSFER_GAS);
    assert.equal(receipt.gasPrice, tx.gasPrice, "a legacy transaction pays its gas price");
    assert.equal(await provider.getBalance(to), value);
    assert.equal(await provider.getBalance(wallet.address), before - value - receipt.gasUsed * receipt.gasPrice);
    assert.equal(await provider.getTransactionCount(wallet.address, "latest"), 1);
    assert.equal(await provider.getTransactionCount(wallet.address, "pending"), 1);

    // EIP-155: v = chainId * 2 + 35 + yParity.
    const raw = await rpcResult(node.url, "eth_getTransactionByHash", [tx.hash]);
    assert.equal(raw.type, "0x0");
    assert.equal(raw.chainId, toQuantity(CHAIN_ID));
    assert.ok(raw.v === toQuantity(CHAIN_ID * 2 + 35) || raw.v === toQuantity(CHAIN_ID * 2 + 36), `EIP-155 v: ${raw.v}`);
  });

  it("sends an EIP-1559 (type 2) transfer with ethers' default fees and pays base fee + tip", async () => {
    const wallet = devWallet(2);
    const to = freshAddress();
    const before = await provider.getBalance(wallet.address);
    const value = parseEther("0.25");
    const head = await provider.getBlock("latest");
    // Read before sending: the node's suggestion may follow the tips of the blocks mined since.
    const tip = await rpcResult(node.url, "eth_maxPriorityFeePerGas", []);

    const tx = await wallet.sendTransaction({ to, value });
    assert.equal(tx.type, 2, "ethers picks type 2 when the latest block has baseFeePerGas");
    assert.equal(tx.maxPriorityFeePerGas, BigInt(tip));
    assert.equal(tx.maxFeePerGas, head.baseFeePerGas * 2n + tx.maxPriorityFeePerGas, "ethers: maxFee = 2 x baseFee + tip");
    const receipt = await tx.wait();

    const block = await provider.getBlock(receipt.blockNumber);
    assert.equal(receipt.status, 1);
    assert.equal(receipt.type, 2);
    assert.equal(receipt.blockHash, block.hash);
    const tipPaid = tx.maxFeePerGas - block.baseFeePerGas < tx.maxPriorityFeePerGas ? tx.maxFeePerGas - block.baseFeePerGas : tx.maxPriorityFeePerGas;
    assert.equal(receipt.gasPrice, block.baseFeePerGas + tipPaid, "EIP-1559 effective gas price");
    assert.equal(await provider.getBalance(to), value);
    assert.equal(await provider.getBalance(wallet.address), before - value - receipt.gasUsed * receipt.gasPrice);

    const mined = await provider.getTransaction(tx.hash);
    assert.equal(mined.blockNumber, receipt.blockNumber);
    assert.equal(mined.blockHash, receipt.blockHash);
    assert.equal(mined.index, receipt.index);
    assert.equal(mined.from, wallet.address);
    assert.equal(mined.chainId, BigInt(CHAIN_ID));
    assert.equal(mined.signature.yParity === 0 || mined.signature.yParity === 1, true);
    assert.equal(mined.gasPrice, receipt.gasPrice, "a mined type-2 transaction reports the price it paid");
  });

  it("sends consecutive transactions without waiting, each mined with the next nonce", async () => {
    const wallet = devWallet(3);
    const to = freshAddress();
    const hashes = [];
    for (let i = 0; i < 4; i++) hashes.push((await wallet.sendTransaction({ to, value: 1000n + BigInt(i) })).hash);
    const receipts = await Promise.all(hashes.map((hash) => provider.waitForTransaction(hash)));
    for (const [i, receipt] of receipts.entries()) {
      assert.equal(receipt.status, 1);
      const tx = await provider.getTransaction(receipt.hash);
      assert.equal(tx.nonce, i);
    }
    assert.equal(await provider.getBalance(to), 4000n + 6n);
    assert.equal(await provider.getTransactionCount(wallet.address, "latest"), 4);
    assert.equal(await provider.getTransactionCount(wallet.address, "pending"), 4);
  });

  it("returns blocks with and without transactions, by number, tag and hash, linked by parentHash", async () => {
    const wallet = devWallet(4);
    const receipt = await (await wallet.sendTransaction({ to: freshAddress(), value: 7n })).wait();
    const number = receipt.blockNumber;

    const latest = await provider.getBlock("latest");
    assert.equal(latest.number, await provider.getBlockNumber());
    const block = await provider.getBlock(number);
    assert.equal(block.number, number);
    assert.equal(block.hash, receipt.blockHash);
    assert.deepEqual(block.transactions, [receipt.hash]);
    assert.equal(block.gasUsed, TRANSFER_GAS);
    assert.equal(block.gasLimit, GAS_LIMIT);
    assert.equal(block.difficulty, 0n);
    assert.equal(typeof block.baseFeePerGas, "bigint");
    assert.equal(block.parentHash, (await provider.getBlock(number - 1)).hash);
    assert.ok(block.timestamp >= (await provider.getBlock(number - 1)).timestamp, "timestamps do not go back");
    assert.throws(() => block.prefetchedTransactions, /not prefetched/, "no transaction objects unless asked for");

    const full = await provider.getBlock(number, true);
    assert.equal(full.prefetchedTransactions.length, 1);
    assert.equal(full.prefetchedTransactions[0].hash, receipt.hash);
    assert.equal(full.prefetchedTransactions[0].from, wallet.address);
    assert.equal(full.prefetchedTransactions[0].blockNumber, number);
    assert.equal((await provider.getBlock(block.hash)).number, number, "by hash");

    const genesis = await provider.getBlock(0);
    assert.equal(genesis.number, 0);
    assert.equal(genesis.transactions.length, 0);
    assert.equal(genesis.baseFeePerGas, BASE_FEE_WEI, "the first block has the configured base fee");
    assert.equal(await provider.getBlock(latest.number + 1000), null, "a block beyond the head is null");
    assert.equal(await provider.getBlock("0x" + "ab".repeat(32)), null, "an unknown hash is null");

    // The wire formats behind them (CLIENTS.md), for both transaction encodings.
    assertBlockFormat(await rpcResult(node.url, "eth_getBlockByNumber", [toQuantity(number), false]), false);
    assertBlockFormat(await rpcResult(node.url, "eth_getBlockByNumber", [toQuantity(number), true]), true);
    assertBlockFormat(await rpcResult(node.url, "eth_getBlockByHash", [block.hash, true]), true);
    assertBlockFormat(await rpcResult(node.url, "eth_getBlockByNumber", ["latest", false]), false);
    assert.equal(await rpcResult(node.url, "eth_getBlockTransactionCountByNumber", [toQuantity(number)]), "0x1");
    assert.equal(await rpcResult(node.url, "eth_getBlockTransactionCountByHash", [block.hash]), "0x1");
  });

  it("returns receipts and transactions with every field clients read", async () => {
    const wallet = devWallet(5);
    const to = freshAddress();
    const legacy = await (await wallet.sendTransaction({ to, value: 1n, type: 0 })).wait();
    const dynamic = await (await wallet.sendTransaction({ to, value: 2n, type: 2 })).wait();
    for (const receipt of [legacy, dynamic]) {
      const raw = await rpcResult(node.url, "eth_getTransactionReceipt", [receipt.hash]);
      assertReceiptFormat(raw);
      assert.equal(raw.status, "0x1");
      assert.equal(raw.contractAddress, null);
      assert.deepEqual(raw.logs, []);
      assert.equal(raw.from, wallet.address.toLowerCase());
      assert.equal(raw.to, to.toLowerCase());
      assert.equal(raw.gasUsed, toQuantity(TRANSFER_GAS));
      assert.equal(raw.cumulativeGasUsed, toQuantity(receipt.cumulativeGasUsed));
      assert.equal(raw.type, receipt === legacy ? "0x0" : "0x2");

      const block = await rpcResult(node.url, "eth_getBlockByNumber", [raw.blockNumber, false]);
      const tx = await rpcResult(node.url, "eth_getTransactionByHash", [receipt.hash]);
      assertTransactionFormat(tx, block);
      assert.equal(tx.hash, receipt.hash);
      assert.equal(tx.transactionIndex, raw.transactionIndex);
      assert.equal(tx.input, "0x");
      assert.equal(tx.gas, toQuantity((await provider.getTransaction(receipt.hash)).gasLimit));
    }
    assert.equal(await provider.getTransactionReceipt("0x" + "cd".repeat(32)), null, "an unknown hash has no receipt");
    assert.equal(await provider.getTransaction("0x" + "cd".repeat(32)), null, "an unknown hash has no transaction");
  });

  it("rejects a too-low nonce with NONCE_EXPIRED and changes nothing", async () => {
    const wallet = devWallet(6);
    await (await wallet.sendTransaction({ to: freshAddress(), value: 1n })).wait();
    const balance = await provider.getBalance(wallet.address);
    const head = await provider.getBlockNumber();
    await assert.rejects(wallet.sendTransaction({ to: freshAddress(), value: 1n, nonce: 0, gasLimit: TRANSFER_GAS }), (error) => {
      assert.equal(error.code, "NONCE_EXPIRED", error.message);
      assert.match(error.info.error.message, /^nonce too low/);
      return true;
    });
    assert.equal(await provider.getBalance(wallet.address), balance);
    assert.equal(await provider.getTransactionCount(wallet.address, "pending"), 1);
    assert.equal(await provider.getBlockNumber(), head);
  });

  it("rejects a transfer the sender cannot pay for with INSUFFICIENT_FUNDS, from estimateGas and from the node", async () => {
    const empty = Wallet.createRandom().connect(provider);
    // Without a gas limit ethers estimates first, and maps the node's estimateGas error.
    await assert.rejects(empty.sendTransaction({ to: freshAddress(), value: 1n }), (error) => {
      assert.equal(error.code, "INSUFFICIENT_FUNDS", error.message);
      return true;
    });
    // With a gas limit the signed transaction reaches eth_sendRawTransaction, whose error ethers maps too.
    await assert.rejects(empty.sendTransaction({ to: freshAddress(), value: 1n, gasLimit: TRANSFER_GAS }), (error) => {
      assert.equal(error.code, "INSUFFICIENT_FUNDS", error.message);
      assert.match(error.info.error.message, /^insufficient funds for gas \* price \+ value/);
      return true;
    });
    // Funded for the value but not for the gas on top of it.
    const poor = devWallet(7);
    const balance = await provider.getBalance(poor.address);
    await assert.rejects(poor.sendTransaction({ to: freshAddress(), value: balance, gasLimit: TRANSFER_GAS }), (error) => {
      assert.equal(error.code, "INSUFFICIENT_FUNDS", error.message);
      return true;
    });
    assert.equal(await provider.getBalance(poor.address), balance);
    assert.equal(await provider.getTransactionCount(poor.address, "pending"), 0);
  });

  it("replaces a pending transaction only with a higher fee, and ethers reports the replacement", async () => {
    const wallet = devWallet(8);
    const to = freshAddress();
    assert.equal(await provider.send("evm_setAutomine", [false]), true);
    try {
      const tip = parseUnits("1", "gwei");
      // Signed here, so that the very same bytes can be sent twice below.
      const signed = await wallet.signTransaction(await wallet.populateTransaction(
        { to, value: 100n, nonce: 0, gasLimit: TRANSFER_GAS, maxPriorityFeePerGas: tip, maxFeePerGas: 3n * BASE_FEE_WEI + tip }));
      const first = await provider.broadcastTransaction(signed);

      // Pending: in the pool, null block fields, counted by "pending" but not by "latest".
      const pending = await rpcResult(node.url, "eth_getTransactionByHash", [first.hash]);
      assertTransactionFormat(pending, null);
      assert.equal(pending.gasPrice, toQuantity(first.maxFeePerGas), "a pending type-2 transaction reports its fee cap as gasPrice");
      assert.equal((await provider.getTransaction(first.hash)).blockNumber, null);
      assert.equal(await provider.getTransactionReceipt(first.hash), null);
      assert.equal(await provider.getTransactionCount(wallet.address, "latest"), 0);
      assert.equal(await provider.getTransactionCount(wallet.address, "pending"), 1);

      // The same fees again (a different transaction: value differs) are not enough: geth wants a 10% bump of both.
      await assert.rejects(
        wallet.sendTransaction({ to, value: 101n, nonce: 0, gasLimit: TRANSFER_GAS, maxPriorityFeePerGas: tip, maxFeePerGas: first.maxFeePerGas }),
        (error) => {
          assert.equal(error.code, "REPLACEMENT_UNDERPRICED", error.message);
          assert.match(error.info.error.message, /replacement transaction underpriced/);
          return true;
        });

      // The exact same signed bytes again: geth's "already known".
      const again = await rpc(node.url, "eth_sendRawTransaction", [signed]);
      assert.ok(again.error, "resubmitting the same transaction is an error");
      assert.match(again.error.message, /already known/);

      const second = await wallet.sendTransaction({ to, value: 100n, nonce: 0, gasLimit: TRANSFER_GAS, maxPriorityFeePerGas: 2n * tip, maxFeePerGas: 2n * first.maxFeePerGas });
      assert.equal(await provider.getTransaction(first.hash), null, "the replaced transaction left the pool");
      assert.equal((await provider.getTransaction(second.hash)).blockNumber, null);
      assert.equal(await provider.getTransactionCount(wallet.address, "pending"), 1, "a replacement does not take a new nonce");

      assert.equal(await provider.send("evm_mine", []), "0x0");
      const receipt = await second.wait();
      assert.equal(receipt.status, 1);
      assert.equal(receipt.gasPrice, (await provider.getBlock(receipt.blockNumber)).baseFeePerGas + 2n * tip);
      // ethers scans the blocks since it sent the first transaction for one with the same sender and nonce.
      await assert.rejects(first.wait(), (error) => {
        assert.equal(error.code, "TRANSACTION_REPLACED", error.message);
        assert.equal(error.reason, "repriced", "same recipient, value and data: only the fee changed");
        assert.equal(error.replacement.hash, second.hash);
        assert.equal(error.receipt.hash, second.hash);
        return true;
      });
      assert.equal(await provider.getTransactionReceipt(first.hash), null);
      assert.equal(await provider.getBalance(to), 100n);
      assert.equal(await provider.getTransactionCount(wallet.address, "latest"), 1);
    } finally {
      assert.equal(await provider.send("evm_setAutomine", [true]), true);
    }
  });

  it("answers eth_getLogs over a range with [] and rejects malformed filters precisely", async () => {
    const head = await provider.getBlockNumber();
    assert.ok(head > 0);
    assert.deepEqual(await provider.getLogs({ fromBlock: 0, toBlock: "latest" }), []);
    assert.deepEqual(await provider.getLogs({ fromBlock: 0, toBlock: head, address: ACCOUNT0, topics: ["0x" + "11".repeat(32)] }), []);
    assert.deepEqual(await provider.getLogs({ blockHash: (await provider.getBlock(head)).hash }), []);
    assert.deepEqual(await rpcResult(node.url, "eth_getLogs", [{ fromBlock: toQuantity(head + 10), toBlock: toQuantity(head + 20) }]), [],
      "a range beyond the head is empty");

    const invalid = async (filter, pattern) => {
      const { error } = await rpc(node.url, "eth_getLogs", filter === undefined ? [] : [filter]);
      assert.ok(error, `error for ${JSON.stringify(filter)}`);
      assert.equal(error.code, -32602, `invalid params for ${JSON.stringify(filter)}: ${JSON.stringify(error)}`);
      assert.match(error.message, pattern);
    };
    await invalid(undefined, /filter/);
    await invalid({ fromBlock: "0x2", toBlock: "0x1" }, /fromBlock 2 is after toBlock 1/);
    await invalid({ fromBlock: "0x1", blockHash: (await provider.getBlock(0)).hash }, /blockHash/);
    await invalid({ fromBlock: "0x01" }, /fromBlock/);
    await invalid({ address: "0x1234" }, /address/);
    await invalid({ topics: ["0x12"] }, /topic/);
    const unknown = await rpc(node.url, "eth_getLogs", [{ blockHash: "0x" + "ef".repeat(32) }]);
    assert.ok(unknown.error, "an unknown blockHash is an error");
    assert.match(unknown.error.message, /unknown block/);
  });
});
