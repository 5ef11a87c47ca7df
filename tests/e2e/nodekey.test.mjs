// `nexusfast nodekey new|show`: the node id an operator copies into other nodes' configs, checked against the ids
// that `nexusfast testnet init` writes into consensus.validators for the same key files.
import assert from "node:assert/strict";
import { readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { runNexus, tempDir } from "./lib/devnet.mjs";
import { initTestnet } from "./lib/testnet.mjs";

/** The node id a `nodekey` command prints. */
function printedId(stdout) {
  const id = /^node id +(\S+)$/m.exec(stdout)?.[1];
  assert.ok(id, `nodekey prints the node id:\n${stdout}`);
  return id;
}

describe("nexusfast nodekey", { timeout: 60_000 }, () => {
  let dir;

  before(async () => {
    dir = await tempDir("nodekey");
  });

  after(async () => {
    await dir?.remove();
  });

  it("creates an owner-only key whose id `show` prints again, and never overwrites it", async () => {
    const file = path.join(dir.dir, "node_key");
    const created = printedId((await runNexus(["nodekey", "new", "--file", file])).stdout);
    assert.match((await readFile(file, "utf8")).trim(), /^[0-9a-f]{64}$/);
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.equal(printedId((await runNexus(["nodekey", "show", "--file", file])).stdout), created);

    await assert.rejects(runNexus(["nodekey", "new", "--file", file]), (e) => e.code === 1 && /exists already/.test(e.stderr));
    assert.equal(printedId((await runNexus(["nodekey", "show", "--file", file])).stdout), created, "the refused `new` left the key alone");
  });

  it("refuses a missing or malformed key file with a precise error", async () => {
    await assert.rejects(runNexus(["nodekey", "show", "--file", path.join(dir.dir, "absent")]), (e) => e.code === 1 && /no node key file/.test(e.stderr));
    const bad = path.join(dir.dir, "bad_key");
    await writeFile(bad, "zz\n");
    await assert.rejects(runNexus(["nodekey", "show", "--file", bad]), (e) => e.code === 1 && /must hold 64 hex digits/.test(e.stderr));
  });

  it("prints for each testnet node the node id its validator entry names", async () => {
    const net = path.join(dir.dir, "net");
    const { nodes } = await initTestnet(net, 3);
    const config = JSON.parse(await readFile(nodes[0].config, "utf8"));
    const named = config.consensus.validators.map((v) => v.nodeId);
    const shown = [];
    for (let i = 0; i < nodes.length; i++) {
      shown.push(printedId((await runNexus(["nodekey", "show", "--file", path.join(net, `node${i}`, "node_key")])).stdout));
    }
    assert.deepEqual(shown, named);
  });
});
