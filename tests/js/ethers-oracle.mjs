// Answers requests with ethers 6.17.0, so that Engine.Tests can compare NexusFast's key code with it.
// stdin: a JSON array of requests; stdout: a JSON array of answers in the same order.
//   {"op": "decryptKeystore", "json": "<keystore text>", "password": "..."}        -> {"address", "privateKey"}
//   {"op": "encryptKeystore", "privateKey": "0x..", "password": "..", "n": 4096,
//    "salt"?: "0x..", "iv"?: "0x..", "uuid"?: "..."}                               -> {"json"}
//   {"op": "mnemonic", "entropy": "0x..", "passphrase": "..", "paths": ["m/.."]}   -> {"phrase", "seed", "keys": [{"path", "privateKey", "address", "xprv"}]}
//   {"op": "seed", "seed": "0x..", "paths": ["m/.."]}                               -> {"keys": [...]} (as above)
//   {"op": "wordlist"}                                                              -> {"words": [2048 strings]}
//   {"op": "ripemd160", "data": "0x.."}                                             -> {"hash"}
// A request that ethers rejects answers {"error": "<message>"}.
import { readFileSync } from "node:fs";
import { HDNodeWallet, Mnemonic, Wallet, encryptKeystoreJson, ripemd160, wordlists } from "ethers";

const requests = JSON.parse(readFileSync(0, "utf8"));

function derive(root, paths) {
  return paths.map((path) => {
    const node = root.derivePath(path);
    return { path, privateKey: node.privateKey, address: node.address, xprv: node.extendedKey };
  });
}

async function answer(request) {
  switch (request.op) {
    case "decryptKeystore": {
      const wallet = await Wallet.fromEncryptedJson(request.json, request.password);
      return { address: wallet.address, privateKey: wallet.privateKey };
    }
    case "encryptKeystore": {
      // Wallet.encrypt(password) always uses N = 2^17; encryptKeystoreJson takes the scrypt cost.
      const wallet = new Wallet(request.privateKey);
      const options = { scrypt: { N: request.n } };
      if (request.salt) options.salt = request.salt;
      if (request.iv) options.iv = request.iv;
      if (request.uuid) options.uuid = request.uuid;
      const json = await encryptKeystoreJson(wallet, request.password, options);
      return { json };
    }
    case "mnemonic": {
      const mnemonic = Mnemonic.fromEntropy(request.entropy, request.passphrase);
      const seed = mnemonic.computeSeed();
      return { phrase: mnemonic.phrase, seed, keys: derive(HDNodeWallet.fromSeed(seed), request.paths) };
    }
    case "seed":
      return { keys: derive(HDNodeWallet.fromSeed(request.seed), request.paths) };
    case "wordlist": {
      const words = [];
      for (let i = 0; i < 2048; i++) words.push(wordlists.en.getWord(i));
      return { words };
    }
    case "ripemd160":
      return { hash: ripemd160(request.data) };
    default:
      throw new Error(`unknown op ${request.op}`);
  }
}

const answers = [];
for (const request of requests) {
  try {
    answers.push(await answer(request));
  } catch (e) {
    answers.push({ error: String(e?.shortMessage ?? e?.message ?? e) });
  }
}
process.stdout.write(JSON.stringify(answers));
