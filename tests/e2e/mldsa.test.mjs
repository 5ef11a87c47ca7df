// ML-DSA (type 0x4e) end to end: `nexusfast keys new --scheme ml-dsa-65`, `nexusfast tx sign`, the raw transaction
// sent through ethers' JSON-RPC provider (ethers cannot build or parse type 0x4e itself, so it sends the raw bytes with
// provider.send and reads receipts, which it can), then the same checks on the raw wire formats.
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { Wallet, parseEther } from "ethers";
import { rpc, rpcResult, runNexus, startDevnet, tempDir } from "./lib/devnet.mjs";
import { ACCOUNT0, CHAIN_ID, KEY0, assertReceiptFormat, assertTransactionFormat, ethersProvider } from "./lib/chain.mjs";

const PASSPHRASE = "post-quantum horse";
const MAX_FEE = 3_000_000_000n;
const TIP = 1_000_000_000n;
// docs/ml-dsa-transactions.md: 21,000 + 3,309 * 16 + 6,000, plus 1,952 * 16 + 20,000 when the key is carried.
const KEY_HASH_TRANSFER_GAS = 79_944n;
const KEY_CARRYING_TRANSFER_GAS = 131_176n;

describe("ML-DSA transactions signed by `nexusfast tx sign`", { timeout: 120_000 }, () => {
  let dir;
  let passphraseFile;
  let keystore;
  let address;
  let node;
  let provider;

  before(async () => {
    dir = await tempDir("mldsa");
    passphraseFile = path.join(dir.dir, "passphrase");
    await writeFile(passphraseFile, PASSPHRASE + "\n");
    const { stdout } = await runNexus(["keys", "new", "--scheme", "ml-dsa-65", "--dir", path.join(dir.dir, "keys"), "--passphrase-file", passphraseFile, "--light"]);
    address = /^address +(0x[0-9a-fA-F]{40})$/m.exec(stdout)?.[1];
    keystore = path.resolve(/^keystore +(.+)$/m.exec(stdout)?.[1] ?? "");
    assert.ok(address, `keys new prints the address:\n${stdout}`);
    assert.match(stdout, /^scheme +ml-dsa-65$/m);
    node = await startDevnet();
    provider = ethersProvider(node.url);
  });

  after(async () => {
    provider?.destroy();
    if (node) assert.equal(await node.stop(), 0, `nexusfast exits 0 after SIGTERM; output:\n${node.output()}`);
    await dir?.remove();
  });

  async function sign(nonce, { keyHash = false, value = 1000n, gas = KEY_CARRYING_TRANSFER_GAS } = {}) {
    const args = [
      "tx", "sign", "--keystore", keystore, "--passphrase-file", passphraseFile, "--chain-id", String(CHAIN_ID),
      "--nonce", String(nonce), "--to", ACCOUNT0, "--value", String(value), "--max-fee", String(MAX_FEE),
      "--max-priority-fee", String(TIP), "--gas", String(gas),
    ];
    if (keyHash) args.push("--key-hash");
    const { stdout } = await runNexus(args);
    const raw = stdout.trim();
    assert.match(raw, /^0x4e[0-9a-f]+$/, "tx sign prints one line of hex starting with the type byte 0x4e");
    return raw;
  }

  it("keeps the seed in a keystore marked ml-dsa-65 that `keys list` reports", async () => {
    const file = JSON.parse(await readFile(keystore, "utf8"));
    assert.equal(file.scheme, "ml-dsa-65");
    assert.equal(file.version, 3);
    assert.equal("0x" + file.address, address.toLowerCase());
    const { stdout } = await runNexus(["keys", "list", "--dir", path.dirname(keystore)]);
    assert.match(stdout, new RegExp(`^${address} +.+ +ml-dsa-65$`, "m"));
  });

  it("mines a key-carrying and then a key-hash transfer, with receipts ethers reads", async () => {
    const funder = new Wallet(KEY0, provider);
    await (await funder.sendTransaction({ to: address, value: parseEther("1") })).wait();
    const before = await provider.getBalance(address);

    const first = await sign(0);
    const firstHash = await provider.send("eth_sendRawTransaction", [first]);
    const firstReceipt = await provider.getTransactionReceipt(firstHash);
    assert.equal(firstReceipt.status, 1);
    assert.equal(firstReceipt.type, 0x4e);
    assert.equal(firstReceipt.from, address);
    assert.equal(firstReceipt.gasUsed, KEY_CARRYING_TRANSFER_GAS);

    const second = await sign(1, { keyHash: true, gas: KEY_HASH_TRANSFER_GAS });
    assert.ok(second.length < first.length - 2 * 1900, "the key-hash form leaves the 1,952-byte key out");
    const secondHash = await provider.send("eth_sendRawTransaction", [second]);
    const secondReceipt = await provider.getTransactionReceipt(secondHash);
    assert.equal(secondReceipt.status, 1);
    assert.equal(secondReceipt.gasUsed, KEY_HASH_TRANSFER_GAS);
    assert.equal(await provider.getTransactionCount(address), 2);
    const spent = 2000n + firstReceipt.gasUsed * firstReceipt.gasPrice + secondReceipt.gasUsed * secondReceipt.gasPrice;
    assert.equal(await provider.getBalance(address), before - spent);

    // The wire formats: the fields every client needs, the type, and the ML-DSA fields.
    const tx = await rpcResult(node.url, "eth_getTransactionByHash", [secondHash]);
    const block = await rpcResult(node.url, "eth_getBlockByNumber", [tx.blockNumber, true]);
    assertTransactionFormat(tx, block);
    assert.equal(tx.type, "0x4e");
    assert.equal(tx.from, address.toLowerCase());
    assert.match(tx.mlDsaKeyHash, /^0x[0-9a-f]{64}$/);
    assert.equal(tx.mlDsaPublicKey, undefined, "a key-hash transaction does not carry the key");
    assert.equal((tx.mlDsaSignature.length - 2) / 2, 3309);
    assert.equal(block.transactions[0].hash, secondHash);
    const firstTx = await rpcResult(node.url, "eth_getTransactionByHash", [firstHash]);
    assert.equal((firstTx.mlDsaPublicKey.length - 2) / 2, 1952);
    assert.equal(firstTx.mlDsaKeyHash, tx.mlDsaKeyHash);
    const receipt = await rpcResult(node.url, "eth_getTransactionReceipt", [secondHash]);
    assertReceiptFormat(receipt);
    assert.equal(receipt.type, "0x4e");
  });

  it("refuses a transaction whose signature bytes were changed, saying why", async () => {
    const nonce = await provider.getTransactionCount(address);
    const raw = await sign(nonce, { keyHash: true, gas: KEY_HASH_TRANSFER_GAS });
    // The signature is the last field: flip a bit in its middle.
    const at = raw.length - 3000;
    const forged = raw.slice(0, at) + (parseInt(raw[at], 16) ^ 1).toString(16) + raw.slice(at + 1);
    const response = await rpc(node.url, "eth_sendRawTransaction", [forged]);
    assert.equal(response.error?.code, -32000);
    assert.match(response.error?.message, /^invalid ML-DSA signature/);
    assert.equal(await provider.getTransactionCount(address), nonce);
  });
});
