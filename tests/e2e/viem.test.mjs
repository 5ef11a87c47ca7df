// viem 2.57.1 against the devnet: a custom chain, a local account, transfers of every type, reads and fee history.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createPublicClient, createWalletClient, defineChain, http, parseEther, parseGwei } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { startDevnet } from "./lib/devnet.mjs";
import { BASE_FEE_WEI, CHAIN_ID, DEV_BALANCE_WEI, GAS_LIMIT, TRANSFER_GAS, devKey } from "./lib/chain.mjs";

/** A chain definition as an application would write one for the devnet. */
function devnetChain(url) {
  return defineChain({
    id: CHAIN_ID,
    name: "NexusFast devnet",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [url] } },
  });
}

/** Clients for one devnet; a short polling interval because viem's default (4 s) would dominate the run time. */
function clients(node, accountIndex) {
  const chain = devnetChain(node.url);
  const account = privateKeyToAccount(devKey(accountIndex));
  const publicClient = createPublicClient({ chain, transport: http(), pollingInterval: 50 });
  const walletClient = createWalletClient({ account, chain, transport: http(), pollingInterval: 50 });
  return { chain, account, publicClient, walletClient };
}

const freshAddress = () => privateKeyToAccount(generatePrivateKey()).address;

describe("viem against nexusfast devnet (automine)", { timeout: 60_000 }, () => {
  let node;

  before(async () => {
    node = await startDevnet();
  });

  after(async () => {
    if (node) assert.equal(await node.stop(), 0, `nexusfast exits 0 after SIGTERM; output:\n${node.output()}`);
  });

  it("reads chain id, balances, nonces and the genesis block", async () => {
    const { account, publicClient } = clients(node, 0);
    assert.equal(await publicClient.getChainId(), CHAIN_ID);
    assert.equal(await publicClient.getBalance({ address: account.address }), DEV_BALANCE_WEI);
    assert.equal(await publicClient.getTransactionCount({ address: account.address }), 0);
    assert.equal(await publicClient.getTransactionCount({ address: account.address, blockTag: "pending" }), 0);
    const genesis = await publicClient.getBlock({ blockNumber: 0n });
    assert.equal(genesis.number, 0n);
    assert.equal(genesis.baseFeePerGas, BASE_FEE_WEI);
    assert.equal(genesis.gasLimit, GAS_LIMIT);
    assert.deepEqual(genesis.transactions, []);
  });

  it("sends an EIP-1559 transfer with sendTransaction and waits for its receipt", async () => {
    const { account, publicClient, walletClient } = clients(node, 1);
    const to = freshAddress();
    const value = parseEther("1");
    const before = await publicClient.getBalance({ address: account.address });

    const hash = await walletClient.sendTransaction({ to, value });
    const receipt = await publicClient.waitForTransactionReceipt({ hash, pollingInterval: 50 });

    assert.equal(receipt.status, "success");
    assert.equal(receipt.type, "eip1559");
    assert.equal(receipt.transactionHash, hash);
    assert.equal(receipt.from, account.address.toLowerCase());
    assert.equal(receipt.to, to.toLowerCase());
    assert.equal(receipt.gasUsed, TRANSFER_GAS);
    assert.equal(receipt.contractAddress, null);
    assert.deepEqual(receipt.logs, []);
    assert.equal(await publicClient.getBalance({ address: to }), value);
    assert.equal(await publicClient.getBalance({ address: account.address }), before - value - receipt.gasUsed * receipt.effectiveGasPrice);
    assert.equal(await publicClient.getTransactionCount({ address: account.address }), 1);

    const tx = await publicClient.getTransaction({ hash });
    assert.equal(tx.type, "eip1559");
    assert.equal(tx.blockNumber, receipt.blockNumber);
    assert.equal(tx.chainId, CHAIN_ID);
    assert.equal(tx.nonce, 0);
    const block = await publicClient.getBlock({ blockNumber: receipt.blockNumber });
    // viem's default fee: maxFee = 1.2 x baseFee (of the latest block when filling) + tip (CLIENTS.md).
    assert.ok(tx.maxFeePerGas >= (block.baseFeePerGas * 12n) / 10n, `maxFeePerGas ${tx.maxFeePerGas} covers 1.2 x baseFee`);
    assert.equal(receipt.effectiveGasPrice, block.baseFeePerGas + tx.maxPriorityFeePerGas);
  });

  it("sends legacy and EIP-2930 transfers too", async () => {
    const { account, publicClient, walletClient } = clients(node, 2);
    const to = freshAddress();
    const legacy = await walletClient.sendTransaction({ to, value: 1n, type: "legacy", gasPrice: parseGwei("3") });
    const accessList = [{ address: to, storageKeys: ["0x" + "00".repeat(31) + "01"] }];
    const eip2930 = await walletClient.sendTransaction({ to, value: 2n, type: "eip2930", gasPrice: parseGwei("3"), accessList });
    const [legacyReceipt, eip2930Receipt] = await Promise.all([legacy, eip2930].map((hash) => publicClient.waitForTransactionReceipt({ hash })));
    assert.equal(legacyReceipt.type, "legacy");
    assert.equal(legacyReceipt.effectiveGasPrice, parseGwei("3"));
    assert.equal(eip2930Receipt.type, "eip2930");
    assert.equal(eip2930Receipt.status, "success");
    // EIP-2930: 2400 per address and 1900 per storage key on top of 21000.
    assert.equal(eip2930Receipt.gasUsed, TRANSFER_GAS + 2400n + 1900n);
    const tx = await publicClient.getTransaction({ hash: eip2930 });
    assert.deepEqual(tx.accessList, accessList.map(({ address, storageKeys }) => ({ address: address.toLowerCase(), storageKeys })));
    assert.equal(await publicClient.getBalance({ address: to }), 3n);
    assert.equal(await publicClient.getTransactionCount({ address: account.address, blockTag: "pending" }), 2);
  });

  it("estimates gas as Ethereum does: 21000 for a transfer, plus calldata", async () => {
    const { account, publicClient } = clients(node, 3);
    const to = freshAddress();
    assert.equal(await publicClient.estimateGas({ account, to, value: 1n }), TRANSFER_GAS);
    // EIP-2028: 16 gas per non-zero calldata byte, 4 per zero byte.
    assert.equal(await publicClient.estimateGas({ account, to, data: "0x0100" }), TRANSFER_GAS + 16n + 4n);
    await assert.rejects(publicClient.estimateGas({ account: freshAddress(), to, value: 1n }), /insufficient funds/i);
  });

  it("reads blocks by tag, number and hash, with and without transactions", async () => {
    const { publicClient, walletClient } = clients(node, 4);
    const hash = await walletClient.sendTransaction({ to: freshAddress(), value: 5n });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });

    const latest = await publicClient.getBlock();
    assert.equal(latest.number, await publicClient.getBlockNumber({ cacheTime: 0 }));
    const block = await publicClient.getBlock({ blockNumber: receipt.blockNumber });
    assert.equal(block.hash, receipt.blockHash);
    assert.deepEqual(block.transactions, [hash]);
    assert.equal(block.gasUsed, TRANSFER_GAS);
    assert.equal(block.difficulty, 0n);
    const full = await publicClient.getBlock({ blockHash: receipt.blockHash, includeTransactions: true });
    assert.equal(full.number, receipt.blockNumber);
    assert.equal(full.transactions[0].hash, hash);
    assert.equal(full.transactions[0].value, 5n);
    assert.equal((await publicClient.getBlock({ blockTag: "earliest" })).number, 0n);
  });

  it("returns fee history of the requested shape", async () => {
    const { publicClient } = clients(node, 0);
    const head = await publicClient.getBlockNumber({ cacheTime: 0 });
    assert.ok(head >= 4n, `enough blocks for the history: ${head}`);
    const history = await publicClient.getFeeHistory({ blockCount: 4, rewardPercentiles: [25, 75] });
    assert.equal(history.oldestBlock, head - 3n);
    assert.equal(history.baseFeePerGas.length, 5, "blockCount + 1 base fees: the next block's is included");
    assert.equal(history.gasUsedRatio.length, 4);
    assert.equal(history.reward.length, 4);
    for (const rewards of history.reward) assert.equal(rewards.length, 2);
    for (const ratio of history.gasUsedRatio) assert.ok(ratio >= 0 && ratio <= 1, `gasUsedRatio ${ratio}`);
    const oldest = await publicClient.getBlock({ blockNumber: history.oldestBlock });
    assert.equal(history.baseFeePerGas[0], oldest.baseFeePerGas);
    assert.equal(history.gasUsedRatio[0], Number(oldest.gasUsed) / Number(oldest.gasLimit));

    const fees = await publicClient.estimateFeesPerGas();
    assert.equal(typeof fees.maxFeePerGas, "bigint");
    assert.ok(fees.maxFeePerGas >= fees.maxPriorityFeePerGas);
  });
});

describe("viem against nexusfast devnet (--block-time 200)", { timeout: 60_000 }, () => {
  let node;

  before(async () => {
    node = await startDevnet(["--block-time", "200"]);
  });

  after(async () => {
    if (node) assert.equal(await node.stop(), 0, `nexusfast exits 0 after SIGTERM; output:\n${node.output()}`);
  });

  it("waits for a receipt by polling until the interval block includes the transaction", async () => {
    const { account, publicClient, walletClient } = clients(node, 0);
    const to = freshAddress();
    const hashes = [];
    for (let i = 0; i < 3; i++) hashes.push(await walletClient.sendTransaction({ to, value: 10n }));
    assert.equal(await publicClient.getTransactionCount({ address: account.address, blockTag: "pending" }), 3);
    const receipts = await Promise.all(hashes.map((hash) => publicClient.waitForTransactionReceipt({ hash, pollingInterval: 50 })));
    for (const receipt of receipts) assert.equal(receipt.status, "success");
    assert.equal(await publicClient.getTransactionCount({ address: account.address }), 3);
    assert.equal(await publicClient.getBalance({ address: to }), 30n);
  });

  it("produces blocks on the interval even without transactions", async () => {
    const { publicClient } = clients(node, 0);
    const first = await publicClient.getBlockNumber({ cacheTime: 0 });
    // Three more blocks take about 600 ms; the deadline leaves room for a loaded machine.
    const deadline = Date.now() + 5_000;
    let head = first;
    while (head < first + 3n && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      head = await publicClient.getBlockNumber({ cacheTime: 0 });
    }
    assert.ok(head >= first + 3n, `blocks ${first} -> ${head} in 5 s at 200 ms per block`);
    const empty = await publicClient.getBlock({ blockNumber: first + 2n });
    assert.deepEqual(empty.transactions, []);
    assert.equal(empty.gasUsed, 0n);
  });
});
