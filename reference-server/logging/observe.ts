// The HTTP front end's one logging hook: it announces each request as it starts and fills in what it
// learns (the routed request, the error) while handling it; the observer times the exchange, counts the
// body bytes sent, and hears when the response is over.

import {
  type IncomingMessage,
  type OutgoingHttpHeader,
  type OutgoingHttpHeaders,
  ServerResponse,
} from "node:http";
import { performance } from "node:perf_hooks";
import type { S3Request } from "../http/context.ts";

/** What the front end tells the observer about one request; `request` and `error` are set as known. */
export interface RequestTrace {
  readonly requestId: string;
  readonly hostId: string;
  /** The routed, authenticated request (absent when the request failed before routing). */
  request?: S3Request;
  /** What the handler (or authentication, routing, authorization) threw. */
  error?: unknown;
}

export type RequestObserver = (
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  hostId: string,
) => RequestTrace;

/** Timings and counts of one exchange, filled in as it goes. */
export interface Exchange {
  /** performance.now() at arrival. */
  readonly start: number;
  /** When the request body's last byte arrived (undefined: never read, or it had none). */
  requestEnd?: number;
  /** When the first response byte was handed to the socket. */
  firstByte?: number;
  /** When the response was over (finished or aborted). */
  end?: number;
  /** Response body bytes, headers excluded. */
  bytesSent: number;
}

type Write = ServerResponse["write"];
type End = ServerResponse["end"];

function byteLength(chunk: unknown, encoding: unknown): number {
  if (chunk === undefined || chunk === null || typeof chunk === "function") return 0;
  if (typeof chunk === "string")
    return Buffer.byteLength(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
  return (chunk as Uint8Array).byteLength ?? 0;
}

function sent(x: Exchange, chunk: unknown, encoding: unknown): void {
  x.firstByte ??= performance.now();
  x.bytesSent += byteLength(chunk, encoding);
}

/**
 * The S3 endpoint's response class (http/server.ts passes it to node:http): write and end count into
 * the exchange being watched, if any. Why a class rather than wrapping each response's write and end:
 * per-response own properties give ServerResponse objects many shapes, which made node:http's own
 * property accesses megamorphic, and two closures a request were garbage.
 */
export class ObservedResponse<
  Request extends IncomingMessage = IncomingMessage,
> extends ServerResponse<Request> {
  exchange: Exchange | undefined = undefined;
  /** The header object handed to writeHead whole: node keeps none of it where getHeader can see it. */
  private written: OutgoingHttpHeaders | undefined = undefined;

  override writeHead(status: number, a?: unknown, b?: unknown): this {
    this.written = headerObjectOf(a, b) ?? this.written;
    return (super.writeHead as (s: number, a?: unknown, b?: unknown) => this)(status, a, b);
  }

  /** A response header however it was set (setHeader, or writeHead's object; lower-case name). */
  headerOf(name: string): OutgoingHttpHeader | undefined {
    return this.getHeader(name) ?? this.written?.[name];
  }

  override write(chunk: unknown, ...rest: unknown[]): boolean {
    if (this.exchange) sent(this.exchange, chunk, rest[0]);
    return (super.write as (...a: unknown[]) => boolean)(chunk, ...rest);
  }

  override end(chunk?: unknown, ...rest: unknown[]): this {
    if (this.exchange) sent(this.exchange, chunk, rest[0]);
    (super.end as (...a: unknown[]) => unknown)(chunk, ...rest);
    return this;
  }
}

/** The header object of writeHead(status, headers) or writeHead(status, message, headers), if any. */
export function headerObjectOf(a: unknown, b: unknown): OutgoingHttpHeaders | undefined {
  const h = b ?? a;
  return h !== null && typeof h === "object" && !Array.isArray(h) ? (h as OutgoingHttpHeaders) : undefined;
}

/**
 * Starts timing `res` and counting its body bytes; `done` runs once when the response is over. Counts
 * through ObservedResponse, or by wrapping the response's own write/end when it is another class, so
 * streamed bodies (pipeline) are counted as well as whole ones.
 */
export function watchExchange(
  req: IncomingMessage,
  res: ServerResponse,
  done: (x: Exchange) => void,
): Exchange {
  const x: Exchange = { start: performance.now(), bytesSent: 0 };
  if (res instanceof ObservedResponse) res.exchange = x;
  else {
    const write: Write = res.write;
    const end: End = res.end;
    res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
      sent(x, chunk, rest[0]);
      return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
    } as Write;
    res.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
      sent(x, chunk, rest[0]);
      return (end as (...a: unknown[]) => ServerResponse).call(this, chunk, ...rest);
    } as End;
  }
  // A request without a body has nothing to wait for (node reads it to its end only after the response).
  if (hasBody(req))
    req.once("end", () => {
      x.requestEnd ??= performance.now();
    });
  res.once("close", () => {
    x.end = performance.now();
    done(x);
  });
  return x;
}

/** The request announces a body (Content-Length above 0, or a Transfer-Encoding). */
export function hasBody(req: IncomingMessage): boolean {
  const len = Number(req.headers["content-length"] ?? 0);
  return len > 0 || req.headers["transfer-encoding"] !== undefined;
}
