// The `nexusfast devnet` process itself: its banner, its flags, where it listens, and how it stops.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import net from "node:net";
import os from "node:os";
import { describe, it } from "node:test";
import { binary, rpcResult, startDevnet } from "./lib/devnet.mjs";
import { ACCOUNT0, KEY0 } from "./lib/chain.mjs";

/** Resolves to the error code of a TCP connection attempt, or "connected". */
function tryConnect(host, port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 2000 });
    socket.on("connect", () => {
      socket.destroy();
      resolve("connected");
    });
    socket.on("timeout", () => {
      socket.destroy();
      resolve("timeout");
    });
    socket.on("error", (error) => resolve(error.code));
  });
}

describe("nexusfast devnet process", { timeout: 60_000 }, () => {
  it("prints an anvil-style banner and listens on loopback only", async (t) => {
    const node = await startDevnet();
    try {
      const banner = node.output();
      assert.match(banner, new RegExp(`^\\(0\\) ${ACCOUNT0} \\(10000 coins\\)$`, "m"));
      assert.match(banner, new RegExp(`^\\(0\\) ${KEY0}$`, "m"));
      assert.match(banner, /^\(9\) 0x[0-9a-fA-F]{40} \(10000 coins\)$/m);
      assert.match(banner, /^Mnemonic: +test test test test test test test test test test test junk$/m);
      assert.match(banner, /^Chain ID: +31337$/m);
      assert.match(banner, /^Base Fee: +1000000000 wei$/m);
      assert.match(banner, /^Gas Limit: +30000000$/m);
      assert.match(banner, new RegExp(`^Listening on http://127\\.0\\.0\\.1:${node.port}/$`, "m"));

      // A non-loopback address of this machine must not reach the node (DESIGN: the server binds loopback).
      const external = Object.values(os.networkInterfaces()).flat().find((i) => i.family === "IPv4" && !i.internal);
      if (external) assert.notEqual(await tryConnect(external.address, node.port), "connected", `reachable on ${external.address}`);
      else t.diagnostic("no non-loopback IPv4 interface here; only the loopback binding was checked");
    } finally {
      assert.equal(await node.stop(), 0, `nexusfast exits 0 after SIGTERM; output:\n${node.output()}`);
    }
  });

  it("takes anvil's flags: --chain-id and --accounts", async () => {
    const node = await startDevnet(["--chain-id", "1337", "--accounts", "3"]);
    try {
      assert.equal(await rpcResult(node.url, "eth_chainId", []), "0x539");
      assert.equal(await rpcResult(node.url, "net_version", []), "1337");
      const accounts = await rpcResult(node.url, "eth_accounts", []);
      assert.equal(accounts.length, 3);
      assert.equal(accounts[0], ACCOUNT0.toLowerCase());
    } finally {
      assert.equal(await node.stop(), 0, `nexusfast exits 0 after SIGTERM; output:\n${node.output()}`);
    }
  });

  it("stops cleanly on SIGINT too", async () => {
    const node = await startDevnet();
    node.child.kill("SIGINT");
    const { code, signal } = await node.exited;
    assert.equal(signal, null);
    assert.equal(code, 0, `nexusfast exits 0 after SIGINT; output:\n${node.output()}`);
    assert.match(node.output(), /received SIGINT, shutting down/);
    assert.match(node.output(), /stopped cleanly/);
  });

  it("refuses a port that is taken, with a message that names it, and exits non-zero", async () => {
    const node = await startDevnet();
    try {
      const second = spawn(binary, ["devnet", "--port", String(node.port)], { stdio: ["ignore", "pipe", "pipe"] });
      let output = "";
      second.stdout.on("data", (chunk) => { output += chunk; });
      second.stderr.on("data", (chunk) => { output += chunk; });
      const code = await new Promise((resolve) => second.on("exit", resolve));
      assert.notEqual(code, 0);
      assert.match(output, new RegExp(`cannot listen on 127\\.0\\.0\\.1:${node.port}`));
      assert.equal(await rpcResult(node.url, "eth_chainId", []), "0x7a69", "the first node still serves");
    } finally {
      assert.equal(await node.stop(), 0, `nexusfast exits 0 after SIGTERM; output:\n${node.output()}`);
    }
  });
});
