// A devnet with --data survives SIGKILL (replay of the block log) and a clean stop (checkpoint): same blocks, same
// hashes, same receipts, balances and nonces; and the chain goes on from where it was.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Wallet, parseEther, toQuantity } from "ethers";
import { rpcResult, startDevnet, tempDir } from "./lib/devnet.mjs";
import { devKey, ethersProvider } from "./lib/chain.mjs";

/** Everything a client could have seen: every block (with full transactions), receipts, balances and nonces. */
async function snapshot(url, transactionHashes, addresses) {
  const head = Number(await rpcResult(url, "eth_blockNumber", []));
  const blocks = [];
  for (let n = 0; n <= head; n++) blocks.push(await rpcResult(url, "eth_getBlockByNumber", [toQuantity(n), true]));
  const receipts = [];
  for (const hash of transactionHashes) receipts.push(await rpcResult(url, "eth_getTransactionReceipt", [hash]));
  const accounts = {};
  for (const address of addresses) {
    accounts[address] = {
      balance: await rpcResult(url, "eth_getBalance", [address, "latest"]),
      nonce: await rpcResult(url, "eth_getTransactionCount", [address, "latest"]),
      pending: await rpcResult(url, "eth_getTransactionCount", [address, "pending"]),
    };
  }
  return { head, blocks, receipts, accounts };
}

describe("restart on the same --data directory", { timeout: 90_000 }, () => {
  let data;
  let node;
  const hashes = [];
  const senders = [new Wallet(devKey(0)), new Wallet(devKey(1))];
  const recipients = [Wallet.createRandom().address, Wallet.createRandom().address];
  const addresses = [...senders, ...recipients].map((a) => (typeof a === "string" ? a : a.address));
  let before0;

  before(async () => {
    data = await tempDir("data");
  });

  after(async () => {
    if (node) await node.kill();
    await data?.remove();
  });

  /** Transfers of both types from both senders; returns after every receipt is there. */
  async function transfers(url, count) {
    const provider = ethersProvider(url);
    try {
      for (let i = 0; i < count; i++) {
        const wallet = senders[i % 2].connect(provider);
        const tx = await wallet.sendTransaction({ to: recipients[i % 2], value: parseEther("0.01") * BigInt(i + 1), type: i % 3 === 0 ? 0 : 2 });
        const receipt = await tx.wait();
        assert.equal(receipt.status, 1);
        hashes.push(tx.hash);
      }
    } finally {
      provider.destroy();
    }
  }

  it("keeps blocks, receipts, balances and nonces after SIGKILL", async () => {
    node = await startDevnet(["--data", data.dir]);
    await transfers(node.url, 6);
    before0 = await snapshot(node.url, hashes, addresses);
    assert.equal(before0.head, 6, "automine: a block per transfer");
    assert.equal(await node.kill(), "SIGKILL");

    node = await startDevnet(["--data", data.dir]);
    // Killed between checkpoints: the head comes back by replaying the block log on top of the last checkpoint.
    assert.match(node.output(), new RegExp(`opened at block 6 \\(${before0.blocks[6].hash}\\); recovered checkpoint \\d+, replayed \\d+ blocks`));
    const after = await snapshot(node.url, hashes, addresses);
    assert.deepEqual(after, before0);
  });

  it("goes on from the recovered head: the next block links to it and nonces continue", async () => {
    await transfers(node.url, 2);
    const block = await rpcResult(node.url, "eth_getBlockByNumber", [toQuantity(before0.head + 1), false]);
    assert.equal(block.parentHash, before0.blocks.at(-1).hash);
    const tx = await rpcResult(node.url, "eth_getTransactionByHash", [hashes.at(-2)]);
    assert.equal(tx.nonce, toQuantity(3), "account 0 sent transfers 0, 2, 4 before the restart");
  });

  it("keeps everything after SIGTERM (exit 0) and a second restart", async () => {
    const beforeStop = await snapshot(node.url, hashes, addresses);
    assert.equal(await node.stop(), 0, `nexusfast exits 0 after SIGTERM; output:\n${node.output()}`);
    node = await startDevnet(["--data", data.dir]);
    // A clean stop checkpoints the head, so nothing is left to replay.
    assert.match(node.output(), new RegExp(`opened at block 8 \\(${beforeStop.blocks[8].hash}\\); recovered checkpoint 8, replayed 0 blocks`));
    assert.deepEqual(await snapshot(node.url, hashes, addresses), beforeStop);
    assert.equal(await node.stop(), 0, `nexusfast exits 0 after SIGTERM; output:\n${node.output()}`);
    node = undefined;
  });
});
