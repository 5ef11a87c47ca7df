// Four validators as four `nexusfast node` processes (configs from `nexusfast testnet init`) under a transfer load
// signed by ethers: the chain goes on without one (SIGKILL), the killed one catches up to the same state on restart, two
// of four stopped means no commits (no quorum) until one is back, and every transaction whose receipt was returned is in
// the same block on every node.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { Wallet, parseEther, toQuantity } from "ethers";
import { binary, rpc, rpcResult, tempDir } from "./lib/devnet.mjs";
import { CHAIN_ID, devKey } from "./lib/chain.mjs";
import { head, initTestnet, startNode, waitFor } from "./lib/testnet.mjs";

const VALIDATORS = 4;

describe("a four-validator testnet", { timeout: 240_000 }, () => {
  let dir;
  let nodes = [];
  const processes = [];
  const confirmed = []; // { hash, blockHash } of every transaction whose receipt a node returned
  const nonces = new Map();

  before(async () => {
    dir = await tempDir("testnet");
    ({ nodes } = await initTestnet(dir.dir, VALIDATORS, ["--block-time", "200", "--timeout-propose", "1500", "--timeout-vote", "500", "--accounts", "8"]));
    for (const node of nodes) processes.push(await startNode(node));
  });

  after(async () => {
    for (const process of processes) await process?.kill();
    await dir?.remove();
  });

  /** Signs a transfer with ethers (explicit nonce: the senders' transactions may go to different nodes) and sends it raw. */
  async function send(url, account, value = parseEther("0.001")) {
    const wallet = new Wallet(devKey(account));
    const nonce = nonces.get(account) ?? 0;
    const raw = await wallet.signTransaction({
      type: 2, chainId: CHAIN_ID, nonce, to: Wallet.createRandom().address, value,
      gasLimit: 21_000n, maxFeePerGas: 3_000_000_000n, maxPriorityFeePerGas: 1_000_000_000n,
    });
    const hash = await rpcResult(url, "eth_sendRawTransaction", [raw]);
    nonces.set(account, nonce + 1);
    return hash;
  }

  async function receipt(url, hash, timeoutMs = 30_000) {
    const found = await waitFor(`the receipt of ${hash} from ${url}`, () => rpcResult(url, "eth_getTransactionReceipt", [hash]), timeoutMs);
    assert.equal(found.status, "0x1");
    confirmed.push({ hash, blockHash: found.blockHash });
    return found;
  }

  /** Transfers from `account` through the given nodes in turn, each awaited to its receipt, until `stop()` is called. */
  function load(account, urls) {
    let running = true;
    const done = (async () => {
      for (let i = 0; running; i++) {
        const url = urls[i % urls.length];
        await receipt(url, await send(url, account));
      }
    })();
    return async () => {
      running = false;
      await done;
    };
  }

  async function sameBlock(height, urls) {
    const blocks = await Promise.all(urls.map((url) => rpcResult(url, "eth_getBlockByNumber", [toQuantity(height), false])));
    for (const block of blocks) {
      assert.ok(block, `block ${height} exists everywhere`);
      assert.equal(block.hash, blocks[0].hash, `block ${height} has one hash`);
      assert.equal(block.stateRoot, blocks[0].stateRoot, `block ${height} has one state root`);
    }
    return blocks[0];
  }

  it("commits transfers sent to any validator, the same blocks on all", async () => {
    const hashes = [];
    for (let i = 0; i < 8; i++) hashes.push([nodes[i % VALIDATORS].url, await send(nodes[i % VALIDATORS].url, i % 4)]);
    for (const [url, hash] of hashes) await receipt(url, hash);
    // A validator answers development methods with why not.
    const mine = await rpc(nodes[0].url, "evm_mine", []);
    assert.match(mine.error.message, /this node runs BFT consensus/);
    const height = Math.min(...await Promise.all(nodes.map((n) => head(n.url))));
    await sameBlock(height, nodes.map((n) => n.url));
  });

  it("goes on without a SIGKILLed validator, which catches up with the same state root after a restart", async () => {
    const stopLoad = load(4, [nodes[0].url, nodes[1].url]);
    try {
      assert.equal(await processes[3].kill(), "SIGKILL");
      const killedAt = await head(nodes[0].url);
      for (let i = 0; i < 4; i++) await receipt(nodes[i % 3].url, await send(nodes[i % 3].url, 5));
      await waitFor("three validators commit beyond the kill", async () => (await head(nodes[0].url)) >= killedAt + 3);

      processes[3] = await startNode(nodes[3]);
      const target = await head(nodes[0].url);
      await waitFor(`node3 catches up to block ${target}`, async () => (await head(nodes[3].url)) >= target, 60_000);
      await sameBlock(target, nodes.map((n) => n.url));
    } finally {
      await stopLoad();
    }
  });

  it("makes no commits with two of four validators stopped and resumes when one comes back", async () => {
    assert.equal(await processes[2].stop(), 0);
    assert.equal(await processes[3].stop(), 0);
    // A height whose votes were already out may still complete; after that nothing can.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const stalled = await head(nodes[0].url);
    const pending = await send(nodes[0].url, 6); // admitted to the pool, not committable
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    assert.equal(await head(nodes[0].url), stalled, "no quorum, no block");
    assert.equal(await head(nodes[1].url), stalled);
    assert.equal(await rpcResult(nodes[0].url, "eth_getTransactionReceipt", [pending]), null);

    processes[2] = await startNode(nodes[2]);
    const found = await receipt(nodes[0].url, pending, 60_000);
    assert.ok(Number(found.blockNumber) > stalled);
  });

  it("has every transaction whose receipt was returned in the same block on every node", async () => {
    processes[3] = await startNode(nodes[3]);
    const target = await head(nodes[0].url);
    await waitFor(`node3 catches up to block ${target}`, async () => (await head(nodes[3].url)) >= target, 60_000);
    assert.ok(confirmed.length >= 14, `${confirmed.length} receipts`);
    for (const node of nodes) {
      for (const { hash, blockHash } of confirmed) {
        const found = await rpcResult(node.url, "eth_getTransactionReceipt", [hash]);
        assert.ok(found, `${node.name} has the receipt of ${hash}`);
        assert.equal(found.blockHash, blockHash, `${node.name} has ${hash} in the same block`);
      }
    }
    await sameBlock(target, nodes.map((n) => n.url));
    for (let i = 0; i < VALIDATORS; i++) assert.equal(await processes[i].stop(), 0, `${nodes[i].name} stops cleanly`);
    processes.length = 0;
  });
});

describe("nexusfast testnet run", { timeout: 120_000 }, () => {
  let dir;
  let supervisor;

  before(async () => {
    dir = await tempDir("testnet-run");
  });

  after(async () => {
    if (supervisor && supervisor.exitCode === null && supervisor.signalCode === null) supervisor.kill("SIGKILL");
    await dir?.remove();
  });

  /** Starts `testnet run` and resolves once every node logged a committed block; returns the output so far as a getter. */
  async function runUntilCommitted(nodes) {
    supervisor = spawn(binary, ["testnet", "run", "--dir", dir.dir], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    supervisor.stdout.setEncoding("utf8").on("data", (chunk) => { output += chunk; });
    supervisor.stderr.setEncoding("utf8").on("data", (chunk) => { output += chunk; });
    const exited = new Promise((resolve) => supervisor.on("exit", (code, signal) => resolve({ code, signal })));
    await waitFor("every node's output, prefixed with its name, shows a committed block",
      () => nodes.every((n) => new RegExp(`^${n.name} \\| .*committed block \\d+`, "m").test(output)), 40_000);
    return { output: () => output, exited };
  }

  it("prefixes the nodes' output, and on SIGTERM stops them all and exits 0", async () => {
    const { nodes } = await initTestnet(dir.dir, VALIDATORS, ["--block-time", "200"]);
    const run = await runUntilCommitted(nodes);
    await rpcResult(nodes[1].url, "eth_blockNumber", []);
    supervisor.kill("SIGTERM");
    const { code } = await run.exited;
    assert.equal(code, 0, run.output());
    for (const node of nodes) assert.match(run.output(), new RegExp(`^${node.name} stopped \\(exit code 0\\)$`, "m"));
  });

  it("exits 1 when a node dies on its own, after stopping the others", async () => {
    const { nodes } = await initTestnet(dir.dir, VALIDATORS, ["--block-time", "200"]);
    const run = await runUntilCommitted(nodes);
    const pid = Number(run.output().match(/^node2 +\| started \(pid (\d+)\)/m)[1]);
    process.kill(pid, "SIGKILL");
    const { code } = await run.exited;
    assert.equal(code, 1);
    assert.match(run.output(), /^node2 exited unexpectedly with code 137; stopping the other nodes$/m);
    assert.match(run.output(), /^node0 stopped \(exit code 0\)$/m);
  });
});
