// Answers ML-DSA requests with @noble/post-quantum 0.7.1, so that Engine.Tests can compare NexusFast's ML-DSA with an
// independent implementation. stdin: a JSON array of requests; stdout: a JSON array of answers in the same order.
// Byte strings are hex without 0x; "set" is 44, 65 or 87.
//   {"op": "keygen", "set": 65, "seed": ".."}                                            -> {"publicKey", "secretKey"}
//   {"op": "sign", "set": 65, "secretKey": "..", "message": "..", "context": "..",
//    "random": ".." | null}  (null: deterministic, rnd = 32 zero bytes)                -> {"signature"}
//   {"op": "verify", "set": 65, "publicKey": "..", "message": "..", "context": "..",
//    "signature": ".."}                                                                 -> {"valid": true|false}
// A request that noble rejects answers {"error": "<message>"}.
import { readFileSync } from "node:fs";
import { ml_dsa44, ml_dsa65, ml_dsa87 } from "@noble/post-quantum/ml-dsa.js";

const sets = { 44: ml_dsa44, 65: ml_dsa65, 87: ml_dsa87 };
const requests = JSON.parse(readFileSync(0, "utf8"));
const bytes = (hex) => Uint8Array.from(Buffer.from(hex, "hex"));
const hex = (data) => Buffer.from(data).toString("hex");

function answer(request) {
  const dsa = sets[request.set];
  if (!dsa) throw new Error(`unknown parameter set ${request.set}`);
  switch (request.op) {
    case "keygen": {
      const { publicKey, secretKey } = dsa.keygen(bytes(request.seed));
      return { publicKey: hex(publicKey), secretKey: hex(secretKey) };
    }
    case "sign": {
      const extraEntropy = request.random === null ? false : bytes(request.random);
      const signature = dsa.sign(bytes(request.message), bytes(request.secretKey), { context: bytes(request.context), extraEntropy });
      return { signature: hex(signature) };
    }
    case "verify":
      return { valid: dsa.verify(bytes(request.signature), bytes(request.message), bytes(request.publicKey), { context: bytes(request.context) }) };
    default:
      throw new Error(`unknown op ${request.op}`);
  }
}

const answers = [];
for (const request of requests) {
  try {
    answers.push(answer(request));
  } catch (e) {
    answers.push({ error: String(e?.message ?? e) });
  }
}
process.stdout.write(JSON.stringify(answers));
