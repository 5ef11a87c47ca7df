// Single-core throughput of @noble/post-quantum 0.7.1 (the version tests/js pins) for ML-DSA-44/65/87, to sit beside
// MlDsaBenchmarks in perf/REPORT.md. Same shape as the C# suite: one fixed key per set, 16 messages of 150 bytes with
// the context "nexus", deterministic signing, verification of those 16 signatures.
// Run: node perf/mldsa/noble-bench.mjs [seconds-per-row]   (needs `npm ci` in tests/js; prints one JSON object)
import { ml_dsa44, ml_dsa65, ml_dsa87 } from "../../tests/js/node_modules/@noble/post-quantum/ml-dsa.js";

const secondsPerRow = Number(process.argv[2] ?? 2);
const context = new TextEncoder().encode("nexus");

// A seeded generator (xorshift32), so every run signs the same messages.
let state = 204;
const next = () => ((state ^= state << 13), (state ^= state >>> 17), (state ^= state << 5), state >>> 0);
const bytes = (n) => Uint8Array.from({ length: n }, () => next() & 0xff);

function rate(operation) {
  for (let i = 0; i < 3; i++) operation(i); // warm-up
  let count = 0;
  const start = process.hrtime.bigint();
  const budget = BigInt(Math.round(secondsPerRow * 1e9));
  while (process.hrtime.bigint() - start < budget) operation(count++);
  return count / (Number(process.hrtime.bigint() - start) / 1e9);
}

const results = {};
for (const [name, dsa] of [["ML-DSA-44", ml_dsa44], ["ML-DSA-65", ml_dsa65], ["ML-DSA-87", ml_dsa87]]) {
  const seed = bytes(32);
  const { publicKey, secretKey } = dsa.keygen(seed);
  const messages = Array.from({ length: 16 }, () => bytes(150));
  const signatures = messages.map((m) => dsa.sign(m, secretKey, { context, extraEntropy: false }));
  results[name] = {
    keygenPerSecond: rate(() => dsa.keygen(seed)),
    signPerSecond: rate((i) => dsa.sign(messages[i % 16], secretKey, { context, extraEntropy: false })),
    verifyPerSecond: rate((i) => {
      if (!dsa.verify(signatures[i % 16], messages[i % 16], publicKey, { context })) throw new Error("signature rejected");
    }),
  };
}
process.stdout.write(JSON.stringify({ library: "@noble/post-quantum 0.7.1", node: process.version, results }, null, 2) + "\n");
