import { readFile } from "node:fs/promises";
import { expect, test } from "vitest";
import { compileKernel, WASM_URL } from "./build-wasm.ts";

test("kernel.wasm is a fresh compile of kernel.wat (run `npm run build:wasm` after editing it)", async () => {
  const committed = new Uint8Array(await readFile(WASM_URL));
  const fresh = await compileKernel();
  expect(Buffer.from(committed).equals(Buffer.from(fresh))).toBe(true);
});
