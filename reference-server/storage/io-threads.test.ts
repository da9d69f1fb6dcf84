import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";

const child = fileURLToPath(new URL("./test/pool-child.ts", import.meta.url));
const run = (env: Record<string, string | undefined>) =>
  JSON.parse(
    execFileSync(process.execPath, [child], {
      env: { ...process.env, ...env },
      encoding: "utf8",
      timeout: 30_000,
    }),
  );

test("imported first, io-threads.ts gives libuv's pool more threads than 20 blocked opens", () => {
  expect(run({ UV_THREADPOOL_SIZE: undefined })).toEqual({
    statBeforeRelease: true,
    UV_THREADPOOL_SIZE: "32",
  });
});

test("an explicit UV_THREADPOOL_SIZE wins (4 threads: the stat waits for the blocked opens)", () => {
  expect(run({ UV_THREADPOOL_SIZE: "4" })).toEqual({ statBeforeRelease: false, UV_THREADPOOL_SIZE: "4" });
});
