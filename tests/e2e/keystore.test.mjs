// Keystore v3 files written by `nexusfast keys new` are read by ethers, and ethers' files by nexusfast.
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { Wallet, encryptKeystoreJson, parseEther } from "ethers";
import { runNexus, startDevnet, tempDir } from "./lib/devnet.mjs";
import { KEY0, TRANSFER_GAS, ethersProvider } from "./lib/chain.mjs";

const PASSPHRASE = "correct horse battery staple";

describe("keystore files between nexusfast and ethers", { timeout: 60_000 }, () => {
  let dir;
  let passphraseFile;

  before(async () => {
    dir = await tempDir("keys");
    passphraseFile = path.join(dir.dir, "passphrase");
    await writeFile(passphraseFile, PASSPHRASE + "\n");
  });

  after(async () => {
    await dir?.remove();
  });

  /** Runs `nexusfast keys new --light` and returns the address and file it prints. */
  async function newKey(keystoreDir) {
    const { stdout } = await runNexus(["keys", "new", "--dir", keystoreDir, "--passphrase-file", passphraseFile, "--light"]);
    const address = /^address +(0x[0-9a-fA-F]{40})$/m.exec(stdout)?.[1];
    const file = /^keystore +(.+)$/m.exec(stdout)?.[1];
    assert.ok(address && file, `keys new prints the address and the file:\n${stdout}`);
    return { address, file: path.resolve(file) };
  }

  it("decrypts a key written by `nexusfast keys new --light` with ethers' Wallet.fromEncryptedJson", async () => {
    const { address, file } = await newKey(path.join(dir.dir, "new"));
    const json = await readFile(file, "utf8");
    const keystore = JSON.parse(json);
    assert.equal(keystore.version, 3);
    assert.equal(keystore.crypto.kdf, "scrypt");
    assert.equal(keystore.crypto.kdfparams.n, 4096, "--light uses N = 4096");
    assert.equal(keystore.crypto.cipher, "aes-128-ctr");
    assert.equal("0x" + keystore.address, address.toLowerCase());

    const wallet = await Wallet.fromEncryptedJson(json, PASSPHRASE);
    assert.equal(wallet.address, address, "the printed address is EIP-55 checksummed and matches the key");
    await assert.rejects(Wallet.fromEncryptedJson(json, PASSPHRASE + "!"), /incorrect password/, "the MAC catches a wrong passphrase");
  });

  it("signs with the decrypted key a transfer the devnet accepts", async () => {
    const { file } = await newKey(path.join(dir.dir, "spend"));
    const node = await startDevnet();
    const provider = ethersProvider(node.url);
    try {
      const owner = (await Wallet.fromEncryptedJson(await readFile(file, "utf8"), PASSPHRASE)).connect(provider);
      const funder = new Wallet(KEY0, provider);
      await (await funder.sendTransaction({ to: owner.address, value: parseEther("1") })).wait();
      const receipt = await (await owner.sendTransaction({ to: funder.address, value: parseEther("0.5") })).wait();
      assert.equal(receipt.status, 1);
      assert.equal(receipt.from, owner.address);
      assert.equal(await provider.getBalance(owner.address), parseEther("0.5") - TRANSFER_GAS * receipt.gasPrice);
    } finally {
      provider.destroy();
      assert.equal(await node.stop(), 0, `nexusfast exits 0 after SIGTERM; output:\n${node.output()}`);
    }
  });

  it("imports a keystore written by ethers and decrypts it with `nexusfast keys show --show-secret`", async () => {
    const wallet = Wallet.createRandom();
    // N = 4096 keeps scrypt fast, as --light does; ethers writes the same v3 format with any N.
    const json = await encryptKeystoreJson({ address: wallet.address, privateKey: wallet.privateKey }, PASSPHRASE, { scrypt: { N: 1 << 12 } });
    const source = path.join(dir.dir, "from-ethers.json");
    await writeFile(source, json);
    const keystoreDir = path.join(dir.dir, "imported");
    await runNexus(["keys", "import", source, "--dir", keystoreDir, "--passphrase-file", passphraseFile]);

    const { stdout: list } = await runNexus(["keys", "list", "--dir", keystoreDir]);
    assert.match(list, new RegExp(wallet.address.slice(2), "i"), `keys list shows the imported address:\n${list}`);
    const { stdout } = await runNexus(["keys", "show", wallet.address, "--dir", keystoreDir, "--passphrase-file", passphraseFile, "--show-secret"]);
    assert.match(stdout, new RegExp(`^address +${wallet.address}$`, "m"));
    assert.match(stdout, new RegExp(`^secret +${wallet.privateKey}$`, "m"), `keys show decrypts ethers' file:\n${stdout}`);
  });
});
