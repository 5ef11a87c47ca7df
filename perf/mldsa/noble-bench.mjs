// Single-core throughput of @noble/post-quantum 0.7.1 (the version tests/js pins) for ML-DSA-44/65/87, to sit beside
// MlDsaBenchmarks in perf/REPORT.md. Same shape as the C# suite: one fixed key per set, 16 messages of 150 bytes with
// the context "nexus", deterministic signing, verification of those 16 signatures.
// Run: node perf/mldsa/noble-bench.mjs [seconds-per-row] [--section]   (needs `npm ci` in tests/js; prints one JSON object)
// With --section it also writes perf/results/MlDsaNoble.md: noble beside this run's MlDsaBenchmarks.tsv (run that
// suite first, in the same session) and the AVX2 C reference figures the issue gives for this machine.
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { ml_dsa44, ml_dsa65, ml_dsa87 } from "../../tests/js/node_modules/@noble/post-quantum/ml-dsa.js";

const secondsPerRow = Number(process.argv.find((a, i) => i >= 2 && !a.startsWith("--")) ?? 2);
const writeSection = process.argv.includes("--section");
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

if (writeSection) {
  const results_dir = new URL("../results/", import.meta.url);
  const tsv = new URL("MlDsaBenchmarks.tsv", results_dir);
  // method -> parameters ("Set=ML-DSA-65") -> operations per second
  const ours = {};
  if (existsSync(tsv)) {
    for (const line of readFileSync(tsv, "utf8").trim().split("\n").slice(1)) {
      const [method, parameters, medianNs] = line.split("\t");
      const set = (parameters.match(/ML-DSA-\d+/) ?? [""])[0];
      (ours[set] ??= {})[method] = 1e9 / Number(medianNs);
    }
  }
  // The figures for the AVX2 C reference implementation on this machine (verify, one core).
  const reference = { "ML-DSA-44": 50000, "ML-DSA-65": 30000, "ML-DSA-87": 19000 };
  const n = (x) => (x === undefined ? "-" : Math.round(x).toLocaleString("en-US"));
  const rows = Object.entries(results).map(([set, r]) => {
    const o = ours[set] ?? {};
    return `| ${set} | ${n(o.KeyGen)} / ${n(o.KeyGenBatchAllCores)} / ${n(r.keygenPerSecond)} | ${n(o.Sign)} / ${n(o.SignBatchAllCores)} / ${n(r.signPerSecond)} | ${n(o.Verify)} / ${n(o.VerifyCachedKey)} / ${n(o.VerifyCachedKeyBatchAllCores)} / ${n(r.verifyPerSecond)} | ${n(reference[set])} |`;
  });
  const load = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(", ");
  const section = [
    "## MlDsaNoble",
    "",
    `Run ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC: \`node perf/mldsa/noble-bench.mjs ${secondsPerRow} --section\` right after \`./build.sh bench --filter '*MlDsaBenchmarks*'\`; load average ${load}.`,
    "",
    `Operations per second on one core unless the column says otherwise: NexusFast (MlDsaBenchmarks, BenchmarkDotNet medians) / @noble/post-quantum 0.7.1 on node ${process.version} (best effort loop, ${secondsPerRow} s a row, same keys, messages and context shape). The C reference column is the AVX2 reference implementation's verification rate on this machine as the issue quotes it, not measured here.`,
    "",
    "| Set | Key generation (ours, one core / ours, all cores / noble) | Signing, deterministic (ours, one core / all cores / noble) | Verification (ours: key expanded each time / key cached / key cached, all cores / noble) | C reference (AVX2), verification, one core |",
    "|---|---:|---:|---:|---:|",
    ...rows,
    "",
  ].join("\n");
  writeFileSync(new URL("MlDsaNoble.md", results_dir), section);
  process.stderr.write("wrote perf/results/MlDsaNoble.md\n");
}
