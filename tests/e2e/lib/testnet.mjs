// A local BFT testnet of the published binary: `nexusfast testnet init` into a temporary directory on free ports, then
// one `nexusfast node --config node<i>/config.json` process per validator, each of which can be killed and restarted.
import net from "node:net";
import path from "node:path";
import { binary, runNexus, rpcResult } from "./devnet.mjs";
import { startProcess } from "./process.mjs";

const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 15_000;

function portFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.on("error", () => resolve(false));
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A base port with `count` free ports from it (checked now; another process could still take one before the nodes bind). */
async function freeRange(count) {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 40_000);
    let free = true;
    for (let port = base; port < base + count && free; port++) free = await portFree(port);
    if (free) return base;
  }
  throw new Error(`no ${count} consecutive free ports found`);
}

/**
 * Writes a testnet of `validators` nodes into `dir` (RPC ports base..base+n-1, p2p ports right after them).
 * Returns { nodes: [{ name, config, url }] , output } without starting anything.
 */
export async function initTestnet(dir, validators, extraArgs = []) {
  const base = await freeRange(2 * validators);
  const { stdout } = await runNexus(["testnet", "init", "--validators", String(validators), "--out", dir,
    "--base-rpc-port", String(base), "--base-p2p-port", String(base + validators), "--force", ...extraArgs]);
  const nodes = [];
  for (let i = 0; i < validators; i++) {
    nodes.push({ name: `node${i}`, config: path.join(dir, `node${i}`, "config.json"), url: `http://127.0.0.1:${base + i}/` });
  }
  return { nodes, output: stdout };
}

/**
 * Starts `nexusfast node --config` for one node and resolves once it logs "listening on <its url>".
 * Returns { url, child, output(), stop(), kill() } as startDevnet does.
 */
export function startNode(node) {
  return startProcess(binary, ["node", "--config", node.config], {
    name: node.name, readyText: `listening on ${node.url}`, startTimeoutMs: START_TIMEOUT_MS, stopTimeoutMs: STOP_TIMEOUT_MS,
    extra: { url: node.url },
  });
}

/** The node's head block number. */
export async function head(url) {
  return Number(await rpcResult(url, "eth_blockNumber", []));
}

/** Polls `condition` every 100 ms until it returns a truthy value (which is returned), failing after `timeoutMs`. */
export async function waitFor(what, condition, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  while (Date.now() < deadline) {
    try {
      const value = await condition();
      if (value) return value;
    } catch (error) {
      lastError = error; // a node restarting refuses connections for a moment
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${lastError.message}` : ""}`);
}
