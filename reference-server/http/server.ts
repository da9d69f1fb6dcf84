// The S3 HTTP front end: node:http → addressing → authenticate (once) → route → handler, with every
// failure rendered as S3's XML error and a request id on every response.

import { randomFillSync } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createTlsServer, type Server as TlsServer } from "node:https";
import type { Duplex } from "node:stream";
import { TLSSocket } from "node:tls";
import { authorize } from "../access/authorize.ts";
import { writeGetObjectResponseRoute } from "../api/objects-extra/WriteGetObjectResponse.ts";
import { authenticate, type CredentialLookup } from "../auth/index.ts";
import { answerPreflight, applyCors } from "../browser/cors.ts";
import type { BrowserConfig } from "../browser/post-form.ts";
import { serveWebsite } from "../browser/website.ts";
import type { RequestObserver } from "../logging/observe.ts";
import type { StorageEngine } from "../storage/engine.ts";
import { parseAddress, websiteBucket } from "./addressing.ts";
import { type AccessDirectory, MAX_KEY_BYTES, type S3Request, type S3ServerConfig } from "./context.ts";
import { errorHeaders, toS3Error } from "./error-map.ts";
import { type Level, resolveRoute } from "./routes.ts";
import { renderErrorXml, S3Error } from "./s3-error.ts";
import { idHeaders, S3Response } from "./s3-response.ts";
import { TLS_VERSIONS, type TlsMaterial } from "./tls.ts";

export interface S3ServerOptions {
  engine: StorageEngine;
  credentials: CredentialLookup;
  region?: string;
  regions?: string[];
  baseDomains?: string[];
  maxBucketsPerOwner?: number;
  /** The clock of S3 semantics (default Date.now); see S3ServerConfig.now. */
  clock?: () => number;
  /** Serve HTTPS (TLS 1.2 and 1.3 only) with this certificate and key. */
  tls?: TlsMaterial;
  /** Called with every error answered as InternalError (default: console.error). */
  onInternalError?: (e: unknown, requestId: string) => void;
  /** Role bindings and accounts for access decisions (see S3ServerConfig.accounts). */
  accounts?: AccessDirectory;
  /** The provider's networks for buckets with "private" network access (default: loopback). */
  privateCidrs?: readonly string[];
  /** Told of every request as it starts and how it went (access logs: logging/access-logging.ts). */
  onRequest?: RequestObserver;
}

export function createS3Server(opts: S3ServerOptions): Server | TlsServer {
  const region = opts.region ?? "us-east-1";
  // POST uploads carry their own signature: the browser area looks the form's key up here.
  const config: S3ServerConfig & BrowserConfig = {
    credentials: opts.credentials,
    engine: opts.engine,
    region,
    regions: opts.regions ?? [region],
    baseDomains: opts.baseDomains ?? [],
    maxBucketsPerOwner: opts.maxBucketsPerOwner ?? 999,
    now: opts.clock ?? Date.now,
    accounts: opts.accounts,
    privateCidrs: opts.privateCidrs,
  };
  const onInternal =
    opts.onInternalError ?? ((e: unknown, id: string) => console.error(`[s3 ${id}] internal error:`, e));
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    void handle(config, opts.credentials, onInternal, req, res, false, opts.onRequest);
  };
  // No cap on a whole request's duration (a 5 TiB upload takes what it takes); idle sockets still time out.
  // A 256 KiB stream buffer (node's default is 16 KiB): an object body goes out in 64 KiB packages, and
  // with 16 KiB every write waited for a drain event, one per package. Interleaved bench:server runs,
  // HTTP GET 64 MiB at c=8: 3.7-4.4 -> 5.0-5.5 Gbit/s in three of four runs. Still bounded per connection.
  const httpOptions = {
    requestTimeout: 0,
    headersTimeout: 60_000,
    highWaterMark: 256 * 1024,
    ServerResponse: S3Response,
  };
  const server = opts.tls
    ? createTlsServer({ ...httpOptions, ...TLS_VERSIONS, cert: opts.tls.cert, key: opts.tls.key }, listener)
    : createServer(httpOptions, listener);
  server.on("checkContinue", (req: IncomingMessage, res: ServerResponse) => {
    void handle(config, opts.credentials, onInternal, req, res, true, opts.onRequest);
  });
  server.timeout = 5 * 60_000;
  server.on("clientError", (err: NodeJS.ErrnoException, socket) => answerClientError(err, socket));
  return server;
}

/**
 * Requests node:http could not parse (oversized header section, malformed request line, garbage after a
 * short Content-Length) still get an S3 error with a request id, then the connection closes.
 */
function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  // A response already on its way cannot be followed by another one without corrupting the stream.
  const inflight = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage;
  if (!socket.writable || err.code === "ECONNRESET" || inflight?.headersSent) {
    socket.destroy();
    return;
  }
  const { requestId, hostId } = newRequestId();
  const e =
    err.code === "HPE_HEADER_OVERFLOW"
      ? new S3Error("RequestHeaderSectionTooLarge")
      : err.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? new S3Error("RequestTimeout")
        : new S3Error("InvalidRequest", { message: "The HTTP request could not be parsed." });
  const body = renderErrorXml(e, requestId, hostId);
  socket.end(
    `HTTP/1.1 ${e.status} ${e.status === 400 ? "Bad Request" : "Error"}\r\n` +
      `x-amz-request-id: ${requestId}\r\nx-amz-id-2: ${hostId}\r\n` +
      `content-type: application/xml\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

/** Random bytes drawn 24 per request from a pool refilled 4 KiB at a time (a call costs ~15 µs here). */
const idPool = Buffer.allocUnsafe(4080);
let idPoolAt = idPool.length;

function newRequestId(): { requestId: string; hostId: string } {
  if (idPoolAt === idPool.length) {
    randomFillSync(idPool);
    idPoolAt = 0;
  }
  const raw = idPool.subarray(idPoolAt, idPoolAt + 24);
  idPoolAt += 24;
  return {
    requestId: raw.toString("hex", 0, 8).toUpperCase(),
    hostId: raw.toString("base64", 8),
  };
}

async function handle(
  config: S3ServerConfig,
  lookup: CredentialLookup,
  onInternal: (e: unknown, id: string) => void,
  req: IncomingMessage,
  res: ServerResponse,
  expectsContinue: boolean,
  observe?: RequestObserver,
): Promise<void> {
  const { requestId, hostId } = newRequestId();
  const trace = observe?.(req, res, requestId, hostId);
  if (res instanceof S3Response) res.ids = { requestId, hostId };
  else
    for (const [name, value] of Object.entries(idHeaders({ requestId, hostId }))) res.setHeader(name, value);
  const method = req.method ?? "GET";
  let resource = "/";
  // The website endpoint answers anonymously with HTML pages of its own (browser/website.ts).
  const site = websiteBucket(req.headers.host, config.baseDomains);
  if (site !== undefined) return serveWebsite({ config, req, res, requestId, hostId, bucket: site });
  try {
    const addr = parseAddress(req.url ?? "/", req.headers.host, config.baseDomains);
    resource =
      addr.bucket === undefined ? "/" : `/${addr.bucket}${addr.key === undefined ? "" : `/${addr.key}`}`;
    // CORS (browser/cors.ts): preflights are unauthenticated; an allowed Origin's grant goes on any answer.
    if (method === "OPTIONS")
      return answerPreflight(config.engine, addr.bucket, addr.key !== undefined, req, res);
    applyCors(config.engine, addr.bucket, req, res);
    const query = new URLSearchParams(addr.rawQuery);
    const auth = authenticate(
      {
        method,
        rawPath: addr.rawPath,
        query,
        headers: req.headersDistinct,
        virtualHostBucket: addr.virtualHostBucket,
      },
      lookup,
      { now: new Date(), region: config.region },
    );
    const level: Level = addr.bucket === undefined ? "service" : addr.key === undefined ? "bucket" : "object";
    const route =
      writeGetObjectResponseRoute(method, addr.rawPath, req.headers) ??
      resolveRoute(method, level, query, req.headers["x-amz-copy-source"] !== undefined);
    if (addr.key !== undefined && Buffer.byteLength(addr.key) > MAX_KEY_BYTES) {
      throw new S3Error("KeyTooLongError", {
        extra: { Size: String(Buffer.byteLength(addr.key)), MaxSizeAllowed: String(MAX_KEY_BYTES) },
      });
    }
    const r: S3Request = {
      req,
      res,
      config,
      engine: config.engine,
      method,
      bucket: addr.bucket,
      key: addr.key,
      query,
      auth,
      principal: auth.kind === "signed" ? auth.principal : "",
      requestId,
      action: route.action,
      expectsContinue,
      secureTransport: req.socket instanceof TLSSocket,
    };
    if (trace) trace.request = r;
    await authorize(r, route);
    await route.handler(r);
  } catch (e) {
    if (trace) trace.error = e;
    try {
      sendError(e, resource, method, requestId, hostId, req, res, onInternal);
    } catch (e2) {
      // Never leave a client waiting on a response that failed to render.
      onInternal(e2, requestId);
      res.destroy();
    }
  }
}

function sendError(
  e: unknown,
  resource: string,
  method: string,
  requestId: string,
  hostId: string,
  req: IncomingMessage,
  res: ServerResponse,
  onInternal: (e: unknown, id: string) => void,
): void {
  // The client went away: there is no one to answer, and it is not a server fault.
  if (req.socket?.destroyed || res.destroyed) {
    res.destroy();
    return;
  }
  const err = toS3Error(e, resource);
  if (err.code === "InternalError") onInternal(e, requestId);
  if (res.headersSent) {
    // The body was already streaming: the only honest signal left is a broken connection.
    res.destroy(e instanceof Error ? e : undefined);
    return;
  }
  const body = method === "HEAD" ? Buffer.alloc(0) : Buffer.from(renderErrorXml(err, requestId, hostId));
  const headers: Record<string, string> = {
    ...errorHeaders(e),
    "content-type": "application/xml",
    "content-length": String(body.length),
  };
  // An unread request body would otherwise be drained byte by byte; close instead.
  if (!req.complete) headers.connection = "close";
  res.writeHead(err.status, headers);
  res.end(body);
}
