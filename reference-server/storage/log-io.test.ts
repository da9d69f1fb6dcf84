import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, expect, test } from "vitest";
import { append, stopLogIoWorker } from "./log-io.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tempFile(): { file: string; fd: number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "parity-log-io-"));
  dirs.push(dir);
  const file = path.join(dir, "seg");
  return { file, fd: fs.openSync(file, "w+") };
}

test("appends of one turn, to several files and positions, all land", async () => {
  const files = Array.from({ length: 5 }, tempFile);
  await Promise.all(
    files.flatMap(({ fd }, i) => [
      append(fd, [Buffer.from(`head-${i}|`)], 0),
      append(fd, [Buffer.from("a"), Buffer.from("bc")], 100),
    ]),
  );
  for (const [i, { file, fd }] of files.entries()) {
    fs.closeSync(fd);
    const data = fs.readFileSync(file);
    expect(data.subarray(0, `head-${i}|`.length).toString()).toBe(`head-${i}|`);
    expect(data.subarray(100).toString()).toBe("abc");
  }
});

test("a failed append rejects with the OS error code; the others of its turn still land", async () => {
  const good = tempFile();
  const closed = tempFile();
  fs.closeSync(closed.fd);
  const results = await Promise.allSettled([
    append(closed.fd, [Buffer.from("x")], 0),
    append(good.fd, [Buffer.from("ok")], 0),
  ]);
  expect(results[0]).toMatchObject({ status: "rejected", reason: { code: "EBADF" } });
  expect(results[1].status).toBe("fulfilled");
  expect(fs.readFileSync(good.file, "utf8")).toBe("ok");
  fs.closeSync(good.fd);
});

test("appends in flight when the worker goes away settle (none hangs); later appends start a new worker", async () => {
  const f = tempFile();
  const inFlight = [append(f.fd, [Buffer.from("one")], 0), append(f.fd, [Buffer.from("two")], 3)];
  await stopLogIoWorker();
  const more = append(f.fd, [Buffer.from("three")], 6);
  await stopLogIoWorker();
  // Each either landed before the worker went or failed with its exit; none is left waiting.
  for (const r of await Promise.allSettled([...inFlight, more]))
    if (r.status === "rejected") expect(String(r.reason)).toMatch(/log-io-worker\.ts exited/);
  await append(f.fd, [Buffer.from("four")], 11);
  expect(fs.readFileSync(f.file, "utf8").slice(11)).toBe("four");
  fs.closeSync(f.fd);
});
