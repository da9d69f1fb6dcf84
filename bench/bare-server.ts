// The machine's ceiling for bench/server.ts: a node:http server that does no S3 work (no signature check,
// no storage, no encryption) and moves the same bodies the same way, driven by the same client worker.
// A reference-server scenario can then be read against what this machine and client reach at all.

import http from "node:http";
import type { AddressInfo } from "node:net";
import { bodyOf } from "./server-client.ts";

/** GET answers `sizeOf(path)` bytes in 64 KiB writes with back-pressure (as the S3 endpoint sends its
 * 64 KiB packages); PUT reads the body to its end and answers 200 with an ETag. Loopback only. */
export async function startBareServer(
  sizeOf: (path: string) => number,
): Promise<{ endpoint: string; close: () => Promise<void> }> {
  const server = http.createServer({ highWaterMark: 256 * 1024 }, (req, res) => {
    req.resume();
    req.on("end", async () => {
      if (req.method !== "GET") {
        res.writeHead(200, { etag: '"bare"', "content-length": "0" });
        res.end();
        return;
      }
      const b = bodyOf(sizeOf(req.url ?? "/"));
      res.writeHead(200, { "content-length": String(b.length), "content-type": "binary/octet-stream" });
      for (let at = 0; at < b.length; at += 65536) {
        if (!res.write(b.subarray(at, Math.min(b.length, at + 65536)))) {
          await new Promise((r) => res.once("drain", r));
        }
        if (res.destroyed) return;
      }
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
