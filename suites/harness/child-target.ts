// Servers the harness starts run in a child process: a peer that crashes on a hostile request (s3rver
// does, on a 1025-byte key) must fail its checks, not take the harness and every other target down.
// The child prints one JSON line `{ endpoint, accessKeyId, secretAccessKey, alternate? }` once it listens,
// and calls stopWithParent: its stdin is a pipe from the harness, so it also stops when the harness dies
// without closing it (killed, crashed), instead of serving on forever as an orphan.

import { spawn } from "node:child_process";
import type { Credentials } from "./target.ts";

export interface ChildServer extends Credentials {
  readonly endpoint: string;
  /** A second account of the same server, for cross-account checks (the reference server makes one). */
  readonly alternate?: Credentials;
  /** The CA (PEM) to trust when the child serves HTTPS with a generated certificate. */
  readonly ca?: string;
  /** Why the child is gone, if it died before close(); undefined while it runs. */
  death(): string | undefined;
  close(): Promise<void>;
}

const TAIL = 2000;

export function startChildServer(
  script: string,
  args: readonly string[],
  what: string,
  /** Called when the child dies on its own (not through close()), with why. */
  onUnexpectedExit?: (why: string) => void,
): Promise<ChildServer> {
  // stdin: a pipe nobody writes to; it closes when this process goes, however it goes.
  const child = spawn(process.execPath, [script, ...args], { stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  let stdout = "";
  let died: string | undefined;
  let closing = false;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.stderr.on("data", (c: Buffer) => {
    stderr = (stderr + c.toString("utf8")).slice(-TAIL);
  });
  child.once("exit", (code, signal) => {
    if (!closing) {
      died = `${what} process exited (${signal ?? `code ${code}`}): ${stderr.trim() || "no output"}`;
      onUnexpectedExit?.(died);
    }
  });
  return new Promise((resolve, reject) => {
    child.once("exit", () => reject(new Error(died ?? `${what} process exited before listening`)));
    child.once("error", reject);
    child.stdout.on("data", (c: Buffer) => {
      stdout += c.toString("utf8");
      const line = stdout.split("\n", 1)[0];
      if (!stdout.includes("\n")) return;
      try {
        const info = JSON.parse(line) as {
          endpoint: string;
          accessKeyId: string;
          secretAccessKey: string;
          alternate?: Credentials;
          ca?: string;
        };
        resolve({
          ...info,
          death: () => died,
          async close() {
            closing = true;
            if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
            await exited;
          },
        });
      } catch {
        child.kill("SIGKILL");
        reject(new Error(`${what} process printed no endpoint: ${line.slice(0, 200)}`));
      }
    });
  });
}

/**
 * In the child: run `stop` then exit on SIGTERM (close()) or when the harness's end of stdin closes
 * (the harness is gone).
 */
export function stopWithParent(stop: () => Promise<unknown>): void {
  let stopping = false;
  const stopOnce = () => {
    if (stopping) return;
    stopping = true;
    stop().finally(() => process.exit(0));
  };
  process.once("SIGTERM", stopOnce);
  process.stdin.on("end", stopOnce);
  process.stdin.on("error", stopOnce);
  process.stdin.resume();
}
