// Compiles kernel.wat into the committed kernel.wasm (`npm run build:wasm`). wabt is a dev-only
// dependency: the runtime only reads the .wasm, and a test keeps the two from drifting apart.

import { readFile, writeFile } from "node:fs/promises";
import wabtInit from "wabt";

declare const WebAssembly: { Module: new (bytes: Uint8Array) => object };

export const WAT_URL = new URL("./kernel.wat", import.meta.url);
export const WASM_URL = new URL("./kernel.wasm", import.meta.url);

export async function compileKernel(): Promise<Uint8Array> {
  const wabt = await wabtInit();
  const source = await readFile(WAT_URL, "utf8");
  const module = wabt.parseWat("kernel.wat", source, { simd: true, relaxed_simd: true });
  try {
    // No debug names: the binary then depends on nothing but the instructions.
    const wasm = module.toBinary({ log: false, write_debug_names: false }).buffer;
    // wabt's typed validate() knows no feature flags; V8 validates fully, as it will at run time.
    new WebAssembly.Module(wasm);
    return wasm;
  } finally {
    module.destroy();
  }
}

if (import.meta.main) {
  const wasm = await compileKernel();
  await writeFile(WASM_URL, wasm);
  console.log(`wrote ${WASM_URL.pathname} (${wasm.length} bytes)`);
}
