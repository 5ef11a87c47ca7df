// Starts the published `nexusfast` binary as a devnet on a free loopback port and stops it again.
// Every test file starts its own node(s): node --test runs files in separate processes, so nothing is shared.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { startProcess } from "./process.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));

/** The binary under test: NEXUSFAST_BIN, else artifacts/nexusfast of this checkout (written by ./build.sh publish). */
export const binary = process.env.NEXUSFAST_BIN
  ?? path.resolve(here, "../../../artifacts", process.platform === "win32" ? "nexusfast.exe" : "nexusfast");

const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 10_000;
const PORT_ATTEMPTS = 5;

function requireBinary() {
  if (!existsSync(binary)) throw new Error(`${binary} does not exist: run ./build.sh publish first (./build.sh test does it)`);
}

/** A port the OS just handed out on 127.0.0.1. Another process may take it before the node binds; startDevnet retries. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen({ port: 0, host: "127.0.0.1", exclusive: true }, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Runs `nexusfast devnet --port P ...args` and resolves once it prints "Listening on http://127.0.0.1:P/".
 * Returns { url, port, child, output(), stop(), kill() }: stop() sends SIGTERM and resolves to the exit code
 * (SIGKILL and an error after STOP_TIMEOUT_MS); kill() sends SIGKILL and resolves to the signal.
 */
export async function startDevnet(args = []) {
  requireBinary();
  let lastError;
  for (let attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
    const port = await freePort();
    try {
      return await startOn(port, args);
    } catch (error) {
      lastError = error;
      // Only a lost race for the port is worth another try; anything else is a real failure.
      if (!/cannot listen|address already in use/i.test(error.message)) throw error;
    }
  }
  throw lastError;
}

function startOn(port, args) {
  const url = `http://127.0.0.1:${port}/`;
  return startProcess(binary, ["devnet", "--port", String(port), ...args], {
    name: "nexusfast devnet", readyText: `Listening on ${url}`, startTimeoutMs: START_TIMEOUT_MS, stopTimeoutMs: STOP_TIMEOUT_MS,
    extra: { port, url },
  });
}

/** Runs a nexusfast subcommand to completion; resolves { stdout, stderr }, rejects on a non-zero exit. */
export async function runNexus(args, options = {}) {
  requireBinary();
  return promisify(execFile)(binary, args, { timeout: 30_000, ...options });
}

/** A fresh temporary directory, removed by the returned cleanup function. */
export async function tempDir(prefix) {
  const dir = await mkdtemp(path.join(os.tmpdir(), `nexusfast-e2e-${prefix}-`));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** One raw JSON-RPC call over fetch, for checking exact wire formats and error objects the clients hide. */
export async function rpc(url, method, params) {
  const body = { jsonrpc: "2.0", id: 1, method };
  if (params !== undefined) body.params = params;
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const json = await response.json();
  if (json.id !== 1 || json.jsonrpc !== "2.0") throw new Error(`bad JSON-RPC envelope: ${JSON.stringify(json)}`);
  return json;
}

/** The result of a raw JSON-RPC call; throws with the error object when there is one. */
export async function rpcResult(url, method, params) {
  const json = await rpc(url, method, params);
  if (json.error) throw new Error(`${method} failed: ${JSON.stringify(json.error)}`);
  return json.result;
}
