// One child process of the binary under test, as the e2e tests drive it: its output collected, ready once it prints a
// given text, stoppable with SIGTERM (SIGKILL and an error when it does not stop in time) or killed outright.
import { spawn } from "node:child_process";

/** Children still running in this test process, killed if it exits without stopping them. */
const running = new Set();
process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/**
 * Spawns `binary args` and resolves, once its stdout or stderr contains `readyText`, to
 * { child, exited, output(), stop(), kill(), ...extra }: stop() sends SIGTERM and resolves to the exit code, kill()
 * sends SIGKILL and resolves to the signal. Rejects when it exits first or stays silent for `startTimeoutMs`.
 */
export function startProcess(binary, args, { name, readyText, startTimeoutMs, stopTimeoutMs, extra = {} }) {
  const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"] });
  running.add(child);
  let output = "";
  const exited = new Promise((resolve) => {
    child.on("exit", (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
  });
  const handle = {
    ...extra,
    child,
    exited,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return (await exited).code;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), stopTimeoutMs);
      const { code, signal } = await exited;
      clearTimeout(timer);
      if (signal === "SIGKILL") throw new Error(`${name} did not stop within ${stopTimeoutMs} ms of SIGTERM; output:\n${output}`);
      return code;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      return (await exited).signal;
    },
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${name} did not print "${readyText}" within ${startTimeoutMs} ms; output:\n${output}`));
    }, startTimeoutMs);
    const onData = (chunk) => {
      output += chunk;
      if (output.includes(readyText)) {
        clearTimeout(timer);
        resolve(handle);
      }
    };
    child.stdout.setEncoding("utf8").on("data", onData);
    child.stderr.setEncoding("utf8").on("data", onData);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (code ${code}, signal ${signal}) before it was ready; output:\n${output}`));
    });
  });
}
