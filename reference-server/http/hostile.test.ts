// Hostile input over raw HTTP: truncated and forged bodies, malformed documents, disconnects, wrong
// Content-Length, oversized headers, odd keys. Each gets the right S3 error or a clean close, the server
// keeps serving, and nothing partial is ever listed or readable.

import { createHash, randomBytes } from "node:crypto";
import { connect } from "node:net";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { bucketName, signedRequest, startTestServer, type TestServer } from "../api/test-support.ts";

let t: TestServer;
let bucket: string;
beforeAll(async () => {
  t = await startTestServer();
  bucket = bucketName();
  await t.s3.send(new CreateBucketCommand({ Bucket: bucket }));
});
afterAll(() => t.stop());

const listed = async (prefix: string) =>
  (await t.server.engine.listObjects({ bucket, prefix })).objects.map((o) => o.key);

describe("hostile bodies leave nothing behind and the server keeps serving", () => {
  test("a truncated aws-chunked body is IncompleteBody", async () => {
    const res = await signedRequest(t.server, {
      method: "PUT",
      path: `/${bucket}/hostile/truncated`,
      headers: {
        "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
        "content-encoding": "aws-chunked",
        "x-amz-decoded-content-length": "100",
        "x-amz-trailer": "x-amz-checksum-crc32",
      },
      body: "64\r\n" + "a".repeat(50),
    });
    expect(res.status).toBe(400);
    expect(res.body).toContain("<Code>IncompleteBody</Code>");
    expect(await listed("hostile/")).toEqual([]);
  });

  test("a malformed DeleteObjects document is MalformedXML", async () => {
    const body = "<Delete><Object><Key>a</Key></Delete>";
    const md5 = createHash("md5").update(body).digest("base64");
    const res = await signedRequest(t.server, {
      method: "POST",
      path: `/${bucket}`,
      query: { delete: "" },
      headers: { "content-md5": md5 },
      body,
    });
    expect(res.status).toBe(400);
    expect(res.body).toContain("<Code>MalformedXML</Code>");
    const noMd5 = await signedRequest(t.server, {
      method: "POST",
      path: `/${bucket}`,
      query: { delete: "" },
      body: "<Delete/>",
    });
    expect(noMd5.body).toContain("<Code>InvalidRequest</Code>");
  });

  test("a client that disconnects mid-upload leaves nothing visible", async () => {
    const port = Number(new URL(t.server.endpoint).port);
    const signed = await signedRequest(t.server, { method: "GET", path: "/" }); // warm-up: server alive
    expect(signed.status).toBe(200);
    // Build a correctly signed header block, then send half the body and drop the socket.
    const { httpRequest, sdkSigner } = await import("../auth/test-support.ts");
    const req = httpRequest({
      method: "PUT",
      path: `/${bucket}/hostile/dropped`,
      host: `127.0.0.1:${port}`,
      headers: { "x-amz-content-sha256": "UNSIGNED-PAYLOAD", "content-length": "1000000" },
    });
    const s = await sdkSigner({
      accessKeyId: t.server.accessKeyId,
      secretAccessKey: t.server.secretAccessKey,
    }).sign(req);
    const head = `PUT ${s.path} HTTP/1.1\r\n${Object.entries(s.headers)
      .map(([k, v]) => `${k}: ${v}`)
      .join("\r\n")}\r\n\r\n`;
    await new Promise<void>((resolve, reject) => {
      const sock = connect(port, "127.0.0.1", () => {
        sock.write(head);
        sock.write(randomBytes(400_000), () => {
          sock.destroy();
          resolve();
        });
      });
      sock.on("error", reject);
    });
    // The server must still answer, and the object must never appear.
    for (let i = 0; i < 20; i++) {
      const res = await signedRequest(t.server, { method: "GET", path: `/${bucket}/hostile/dropped` });
      expect(res.status).toBe(404);
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(await listed("hostile/")).toEqual([]);
  });
});

/** Write raw bytes on a fresh connection; resolve with everything the server sent until it closed. */
function exchange(data: Buffer | string, opts: { halfClose?: boolean } = {}): Promise<string> {
  const port = Number(new URL(t.server.endpoint).port);
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    const sock = connect(port, "127.0.0.1", () => {
      if (opts.halfClose) sock.end(data);
      else sock.write(data);
    });
    sock.on("data", (c) => parts.push(c));
    sock.on("close", () => resolve(Buffer.concat(parts).toString("latin1")));
    sock.on("error", (e) => (parts.length ? resolve(Buffer.concat(parts).toString("latin1")) : reject(e)));
  });
}

async function signedHead(
  method: string,
  path: string,
  headers: Record<string, string>,
  secret = t.server.secretAccessKey,
): Promise<string> {
  const { httpRequest, sdkSigner } = await import("../auth/test-support.ts");
  const host = new URL(t.server.endpoint).host;
  const req = httpRequest({
    method,
    path,
    host,
    headers: { "x-amz-content-sha256": "UNSIGNED-PAYLOAD", ...headers },
  });
  const s = await sdkSigner({
    accessKeyId: t.server.accessKeyId,
    secretAccessKey: secret,
  }).sign(req);
  return `${method} ${s.path} HTTP/1.1\r\n${Object.entries(s.headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join("\r\n")}\r\n`;
}

describe("malformed HTTP", () => {
  test("an oversized header section gets RequestHeaderSectionTooLarge with a request id", async () => {
    const out = await exchange(`GET / HTTP/1.1\r\nhost: x\r\nx-big: ${"a".repeat(20_000)}\r\n\r\n`);
    expect(out).toMatch(/^HTTP\/1\.1 400/);
    expect(out).toContain("<Code>RequestHeaderSectionTooLarge</Code>");
    expect(out).toMatch(/x-amz-request-id: [0-9A-F]{16}/);
  });

  test("an 8 KB header is fine", async () => {
    const res = await signedRequest(t.server, {
      method: "GET",
      path: "/",
      headers: { "x-amz-meta-pad": "p".repeat(8192) },
    });
    expect(res.status).toBe(200);
  });

  test("garbage request line: 400 with a request id", async () => {
    const out = await exchange("NOT AN HTTP REQUEST\r\n\r\n");
    expect(out).toMatch(/^HTTP\/1\.1 400/);
    expect(out).toContain("x-amz-request-id");
  });

  test("Content-Length longer than the body, then the client half-closes: nothing stored", async () => {
    const head = await signedHead("PUT", `/${bucket}/hostile/long-cl`, { "content-length": "1000" });
    await exchange(`${head}\r\n${"x".repeat(10)}`, { halfClose: true });
    const res = await signedRequest(t.server, { method: "GET", path: `/${bucket}/hostile/long-cl` });
    expect(res.status).toBe(404);
  });

  test("Content-Length shorter than the body: never more than the declared bytes stored", async () => {
    const head = await signedHead("PUT", `/${bucket}/hostile/short-cl`, { "content-length": "5" });
    await exchange(`${head}\r\nhelloEXTRA GARBAGE\r\n\r\n`);
    // The garbage closes the connection; the object is the declared five bytes or nothing, never more.
    const res = await signedRequest(t.server, { method: "GET", path: `/${bucket}/hostile/short-cl` });
    if (res.status === 200) expect(res.body).toBe("hello");
    else expect(res.status).toBe(404);
  });

  test("odd keys: dot segments and NUL are stored literally; the listing stays readable", async () => {
    for (const [path, key] of [
      [`/${bucket}/odd/a/../b`, "odd/a/../b"],
      [`/${bucket}/odd/nul%00byte`, "odd/nul\u0000byte"],
      [`/${bucket}/odd/./dot`, "odd/./dot"],
    ]) {
      const put = await signedRequest(t.server, { method: "PUT", path, body: key });
      expect(put.status, path).toBe(200);
      const get = await signedRequest(t.server, { method: "GET", path });
      expect(get.body).toBe(key);
    }
    const list = await signedRequest(t.server, {
      method: "GET",
      path: `/${bucket}`,
      query: { "list-type": "2", prefix: "odd/", "encoding-type": "url" },
    });
    expect(list.body).toContain("<Key>odd/a/../b</Key>");
    expect(list.body).toContain("<Key>odd/nul%00byte</Key>");
  });
});

/**
 * Send the header block and wait: after a 100 send the body. Resolves with everything received; a
 * refusal closes the connection itself, a success (keep-alive) is closed here once its 200 arrived.
 */
function expectContinue(head: string, body: string): Promise<string> {
  const port = Number(new URL(t.server.endpoint).port);
  return new Promise((resolve, reject) => {
    let all = "";
    let sent = false;
    const sock = connect(port, "127.0.0.1", () => sock.write(`${head}\r\n`));
    sock.on("data", (c: Buffer) => {
      all += c.toString("latin1");
      if (!sent && all.startsWith("HTTP/1.1 100")) {
        sent = true;
        sock.write(body);
      }
      if (/HTTP\/1\.1 200/.test(all)) sock.end();
    });
    sock.on("close", () => resolve(all));
    sock.on("error", reject);
  });
}

describe("Expect: 100-continue", () => {
  test("authenticated uploads get 100 Continue; refused ones are answered before the body is sent", async () => {
    const path = `/${bucket}/continue/ok`;
    const ok = await expectContinue(
      await signedHead("PUT", path, { "content-length": "5", expect: "100-continue" }),
      "hello",
    );
    expect(ok).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 OK/);
    const got = await signedRequest(t.server, { method: "GET", path });
    expect(got.body).toBe("hello");
    const bad = await expectContinue(
      await signedHead(
        "PUT",
        `/${bucket}/continue/bad`,
        { "content-length": "5", expect: "100-continue" },
        "wrong",
      ),
      "hello",
    );
    expect(bad).toMatch(/^HTTP\/1\.1 403/);
    expect(bad).toContain("<Code>SignatureDoesNotMatch</Code>");
    expect(await listed("continue/")).toEqual(["continue/ok"]);
  });
});

describe("a reader that goes away", () => {
  test("a GET dropped after its first bytes stops the read; the server keeps serving, logs no fault", async () => {
    const errors = vi.spyOn(console, "error");
    const data = randomBytes(8 * 1024 * 1024);
    await signedRequest(t.server, { method: "PUT", path: `/${bucket}/drop/get`, body: data });
    const head = await signedHead("GET", `/${bucket}/drop/get`, {});
    const port = Number(new URL(t.server.endpoint).port);
    await new Promise<void>((resolve, reject) => {
      const sock = connect(port, "127.0.0.1", () => sock.write(`${head}\r\n`));
      sock.once("data", () => {
        sock.destroy();
        resolve();
      });
      sock.on("error", reject);
    });
    for (let i = 0; i < 5; i++) {
      const res = await signedRequest(t.server, { method: "HEAD", path: `/${bucket}/drop/get` });
      expect(res.status).toBe(200);
      expect(res.headers["content-length"]).toBe(String(data.length));
    }
    expect(errors).not.toHaveBeenCalled();
    errors.mockRestore();
  });
});
