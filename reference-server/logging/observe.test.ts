// watchExchange counts body bytes and times an exchange, through ObservedResponse (the S3 endpoint's
// response class) or by wrapping a plain ServerResponse; a request body's end is timed only when the
// request announces one.

import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "vitest";
import { type Exchange, ObservedResponse, watchExchange } from "./observe.ts";

async function exchanges(observed: boolean): Promise<Exchange[]> {
  const seen: Exchange[] = [];
  const server = http.createServer(observed ? { ServerResponse: ObservedResponse } : {}, (req, res) => {
    watchExchange(req, res, (x) => seen.push(x));
    req.resume();
    req.on("end", () => {
      if (req.method === "PUT") return void res.writeHead(200, { "content-length": "0" }).end();
      res.writeHead(200, { "content-length": "7000" });
      res.write(Buffer.alloc(3000));
      res.end(Buffer.alloc(4000));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    expect((await (await fetch(`${base}/a`)).arrayBuffer()).byteLength).toBe(7000);
    await (await fetch(`${base}/b`, { method: "PUT", body: Buffer.alloc(5000) })).arrayBuffer();
    while (seen.length < 2) await new Promise((r) => setTimeout(r, 5));
    return seen;
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

for (const observed of [true, false]) {
  test(`${observed ? "ObservedResponse" : "a plain ServerResponse"}: bytes, first byte, request end`, async () => {
    const [get, put] = await exchanges(observed);
    expect(get.bytesSent).toBe(7000);
    expect(get.firstByte).toBeGreaterThanOrEqual(get.start);
    expect(get.end).toBeGreaterThanOrEqual(get.firstByte!);
    expect(get.requestEnd).toBeUndefined(); // no body: nothing to wait for
    expect(put.bytesSent).toBe(0);
    expect(put.requestEnd).toBeGreaterThanOrEqual(put.start);
    expect(put.firstByte).toBeGreaterThanOrEqual(put.requestEnd!);
  });
}
