// TEMPORARY until erasure/index.ts lands.
import type { ErasureCodec } from "./erasure/codec.ts";
import { ReferenceCodec } from "./erasure/reference.ts";

export type { ErasureCodec };
export function createCodec(k = 12, m = 4): ErasureCodec {
  return new ReferenceCodec(k, m);
}
