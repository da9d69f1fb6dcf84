// Compiles crc64.wat into the committed crc64.wasm (`node reference-server/crc64/build-crc64.ts`).
// wabt is dev-only: the runtime reads the .wasm; crc64.test.ts keeps the two from drifting apart.
import { readFile, writeFile } from "node:fs/promises";
import wabtInit from "wabt";

export const WAT_URL = new URL("./crc64.wat", import.meta.url);
export const WASM_URL = new URL("./crc64.wasm", import.meta.url);

export async function compileCrc64(): Promise<Uint8Array> {
  const wabt = await wabtInit();
  const module = wabt.parseWat("crc64.wat", await readFile(WAT_URL, "utf8"));
  try {
    return module.toBinary({ log: false, write_debug_names: false }).buffer;
  } finally {
    module.destroy();
  }
}

if (import.meta.main) {
  const wasm = await compileCrc64();
  await writeFile(WASM_URL, wasm);
  console.log(`wrote ${WASM_URL.pathname} (${wasm.length} bytes)`);
}
