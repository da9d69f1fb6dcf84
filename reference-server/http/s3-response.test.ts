import { createServer, type IncomingMessage, request, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "vitest";
import { S3Response } from "./s3-response.ts";

// Each way a handler writes headers: whole object, status message and object, setHeader then implicit
// headers, and a flat array; the ids go out every time, and the logs still see the written headers.
const ways: Record<string, (res: ServerResponse) => void> = {
  object: (res) => res.writeHead(200, { "content-length": "2", etag: '"e"' }).end("ok"),
  message: (res) => res.writeHead(200, "Fine", { "content-length": "2", etag: '"e"' }).end("ok"),
  implicit: (res) => {
    res.setHeader("etag", '"e"');
    res.end("ok");
  },
  array: (res) => res.writeHead(200, ["content-length", "2", "etag", '"e"']).end("ok"),
};

test("S3Response: request id, host id and server on every response, however headers are written", async () => {
  const seen: (string | undefined)[] = [];
  const server = createServer({ ServerResponse: S3Response }, (req: IncomingMessage, res: ServerResponse) => {
    (res as S3Response).ids = { requestId: "REQ1", hostId: "HOST1" };
    ways[req.url!.slice(1)](res);
    seen.push(String((res as S3Response).headerOf("etag")));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  try {
    for (const way of Object.keys(ways)) {
      const headers = await new Promise<Record<string, unknown>>((resolve, reject) => {
        request({ host: "127.0.0.1", port, path: `/${way}` }, (res) => {
          res.resume();
          res.on("end", () => resolve({ ...res.headers, status: res.statusCode }));
        })
          .on("error", reject)
          .end();
      });
      expect(headers, way).toMatchObject({
        status: 200,
        "x-amz-request-id": "REQ1",
        "x-amz-id-2": "HOST1",
        server: "s3-parity",
        etag: '"e"',
      });
    }
    expect(seen).toEqual(['"e"', '"e"', '"e"', '"e"']);
  } finally {
    server.close();
  }
});
