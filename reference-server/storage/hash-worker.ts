// Worker thread of md5-offload.ts: per stream, MD5 and (when asked) the default CRC64NVME of a body.
// A file rather than eval'd source so that the project's modules (the WASM CRC64) load normally.

import { createHash, type Hash } from "node:crypto";
import { type MessagePort, workerData } from "node:worker_threads";
import { Crc64Nvme } from "../crc64/crc64.ts";

interface State {
  md5: Hash;
  crc64?: Crc64Nvme;
}

type Message =
  | { op: "update"; id: number; crc64: boolean; at: number; length: number }
  | { op: "update"; id: number; crc64: boolean; data: ArrayBuffer }
  | { op: "digest"; id: number; crc64: boolean }
  | { op: "drop"; id: number };

const { port, ring } = workerData as { port: MessagePort; ring: SharedArrayBuffer };
const streams = new Map<number, State>();

function stateOf(id: number, crc64: boolean): State {
  let s = streams.get(id);
  if (!s) {
    s = { md5: createHash("md5"), crc64: crc64 ? new Crc64Nvme() : undefined };
    streams.set(id, s);
  }
  return s;
}

const transferable = (b: Uint8Array) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);

port.on("message", async (m: Message) => {
  if (m.op === "update") {
    const s = stateOf(m.id, m.crc64);
    // A chunk in the shared ring is read in place; the main thread reuses its span once answered.
    const data = "data" in m ? new Uint8Array(m.data) : new Uint8Array(ring, m.at, m.length);
    s.md5.update(data);
    s.crc64?.update(data);
    port.postMessage({ id: m.id, done: data.byteLength });
  } else if (m.op === "digest") {
    const s = stateOf(m.id, m.crc64);
    streams.delete(m.id);
    const md5 = transferable(s.md5.digest());
    const crc64 = s.crc64 ? transferable(s.crc64.digest()) : undefined;
    port.postMessage({ id: m.id, digest: md5, crc64 });
  } else if (m.op === "drop") {
    streams.delete(m.id);
  }
});
