// Raw HTTP for requests SDKs will not send (legacy signatures, malformed or hostile requests), with the
// exchange recorded as evidence like the SDK's.

import { createHmac } from "node:crypto";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { connect as netConnect, type Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import type { Fixture } from "./suite.ts";

export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface RawRequest {
  readonly method: string;
  /** Path and query, e.g. `/bucket/key?acl`. */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
}

export function rawRequest(f: Fixture, req: RawRequest): Promise<RawResponse> {
  const url = new URL(req.path, f.target.endpoint);
  const secure = url.protocol === "https:";
  const send = secure ? httpsRequest : httpRequest;
  const exchange = { request: { method: req.method, url: url.href, headers: { ...req.headers } } };
  return new Promise((resolve, reject) => {
    const r = send(
      url,
      {
        method: req.method,
        headers: req.headers,
        ...(secure ? { ca: f.target.tls.ca, rejectUnauthorized: !f.target.tls.insecure } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = String(v);
          const body = Buffer.concat(chunks).toString("utf8");
          f.recorder.recordRaw(exchange.request, { status: res.statusCode ?? 0, headers, body });
          resolve({ status: res.statusCode ?? 0, headers, body });
        });
      },
    );
    r.on("error", (error) => {
      f.recorder.recordRaw(exchange.request, undefined, String(error));
      reject(error);
    });
    r.end(req.body);
  });
}

/** The S3 error code of an XML error body, if it is one. */
export function errorCode(body: string): string | undefined {
  return /<Error>[\s\S]*?<Code>([^<]+)<\/Code>/.exec(body)?.[1];
}

/** Signature Version 2 `Authorization` for a request without body, Content-MD5 or x-amz headers. */
export function sigV2Authorization(
  accessKeyId: string,
  secret: string,
  method: string,
  date: string,
  resource: string,
): string {
  const stringToSign = `${method}\n\n\n${date}\n${resource}`;
  const signature = createHmac("sha1", secret).update(stringToSign).digest("base64");
  return `AWS ${accessKeyId}:${signature}`;
}

/**
 * A request written byte by byte on a socket, for what no HTTP client will send: a Content-Length the
 * body does not honour, a body cut off mid-way. `end: "close"` closes the socket after writing (a client
 * that went away); otherwise the response is awaited. Resolves with the response head and body, or
 * undefined when the target closed without answering.
 */
export function socketRequest(
  f: Fixture,
  req: { method: string; path: string; headers: Readonly<Record<string, string>>; body?: Buffer },
  opts: { end: "close" | "await"; timeoutMs?: number } = { end: "await" },
): Promise<RawResponse | undefined> {
  const url = new URL(req.path, f.target.endpoint);
  const secure = url.protocol === "https:";
  const port = Number(url.port || (secure ? 443 : 80));
  const head =
    `${req.method} ${url.pathname}${url.search} HTTP/1.1\r\n` +
    Object.entries({ host: url.host, ...req.headers })
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join("") +
    "connection: close\r\n\r\n";
  const record = { method: req.method, url: url.href, headers: { ...req.headers } };
  return new Promise((resolve, reject) => {
    const socket: Socket = secure
      ? tlsConnect({
          host: url.hostname,
          port,
          ca: f.target.tls.ca,
          rejectUnauthorized: !f.target.tls.insecure,
          servername: url.hostname,
        })
      : netConnect({ host: url.hostname, port });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(new Error("no answer in time")), opts.timeoutMs ?? 15_000);
    socket.on(secure ? "secureConnect" : "connect", () => {
      socket.write(head);
      if (req.body) socket.write(req.body);
      if (opts.end === "close") {
        socket.end();
        socket.destroy();
      }
    });
    socket.on("data", (c: Buffer) => chunks.push(c));
    socket.on("error", (e) => {
      clearTimeout(timer);
      if (opts.end === "close") resolve(undefined);
      else reject(e);
    });
    socket.on("close", () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString("utf8");
      if (text === "") {
        f.recorder.recordRaw(record, undefined, "closed without an answer");
        resolve(undefined);
        return;
      }
      const [rawHead, ...rest] = text.split("\r\n\r\n");
      const [statusLine, ...lines] = rawHead.split("\r\n");
      const headers: Record<string, string> = {};
      for (const l of lines) {
        const i = l.indexOf(":");
        if (i > 0) headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
      }
      const res = { status: Number(statusLine.split(" ")[1]), headers, body: rest.join("\r\n\r\n") };
      f.recorder.recordRaw(record, res);
      resolve(res);
    });
  });
}
