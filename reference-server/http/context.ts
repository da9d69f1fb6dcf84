// The request context handed to every action handler, and the small helpers they share to read the
// request and answer it. Authentication has already run: handlers read `auth`, never credentials.

import type { IncomingMessage, ServerResponse } from "node:http";
import { pipeline } from "node:stream/promises";
import type { AuthContext } from "../auth/index.ts";
import { type VerifiedBody, verifyBody } from "../auth/index.ts";
import type { StorageEngine } from "../storage/engine.ts";
import type { BucketRecord } from "../storage/index-db.ts";
import { S3Error } from "./s3-error.ts";
import { buildXml, type ParsedXml, parseXml, type XmlNode } from "./xml.ts";

export interface S3ServerConfig {
  engine: StorageEngine;
  /** Region this endpoint signs and answers for (default us-east-1). */
  region: string;
  /** Location constraints CreateBucket accepts (default: the region only). */
  regions: string[];
  /** Base domains for virtual-hosted-style addressing (`<bucket>.<base>`). */
  baseDomains: string[];
  /** Buckets one owner may have (S3 and ECS: 999 a tenant here). */
  maxBucketsPerOwner: number;
  /**
   * The clock of S3 semantics (retention dates, lifecycle ages, aws:CurrentTime), injectable so tests
   * move time instead of waiting. Signature freshness keeps using the real clock.
   */
  now: () => number;
  /** Role bindings and accounts for access decisions (the AccountStore); absent: no roles, no grantee checks. */
  accounts?: AccessDirectory;
  /** The provider's own networks: a bucket with "private" network access answers only these (CIDRs). */
  privateCidrs?: readonly string[];
}

/** What access decisions need from the account store. */
export interface AccessDirectory {
  listBindings(filter: { bucket?: string; accountId?: string }): ReadonlyArray<{ role: string }>;
  findAccount(accountId: string): unknown;
  removeBucketBindings(bucket: string): Promise<void>;
}

/** S3 keys are at most 1024 bytes of UTF-8. */
export const MAX_KEY_BYTES = 1024;

export interface S3Request {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly config: S3ServerConfig;
  readonly engine: StorageEngine;
  readonly method: string;
  readonly bucket?: string;
  readonly key?: string;
  readonly query: URLSearchParams;
  readonly auth: AuthContext;
  /** Account of a signed request (handlers only run for signed requests until access rules exist). */
  readonly principal: string;
  /** The bucket's record when the route needs an existing bucket (checked: the principal owns it). */
  bucketRecord?: BucketRecord;
  readonly requestId: string;
  /** Action name from the route table, e.g. "PutObject". */
  readonly action: string;
  /** The client sent Expect: 100-continue and waits for it before sending the body. */
  readonly expectsContinue: boolean;
  /** The request came over TLS (aws:SecureTransport for the access rules to come). */
  readonly secureTransport: boolean;
}

export type Handler = (r: S3Request) => Promise<void>;

/** A request header as one string (repeats joined with ","), or undefined. */
export function header(r: S3Request, name: string): string | undefined {
  const v = r.req.headersDistinct[name];
  return v === undefined ? undefined : v.length === 1 ? v[0] : v.join(",");
}

export function queryValue(r: S3Request, name: string): string | undefined {
  const v = r.query.get(name);
  return v === null ? undefined : v;
}

// The engine's version ids (engine-context newId: base36 time + 20 hex digits), or "null".
const VERSION_ID = /^(null|[0-9a-z]{9,13}[0-9a-f]{20})$/;

/** Could this be a version id the server issued? Anything else is refused before any lookup, as AWS does. */
export function isVersionId(v: string): boolean {
  return VERSION_ID.test(v);
}

export function invalidVersionId(v: string, argumentName = "versionId"): S3Error {
  return new S3Error("InvalidArgument", {
    message: "Invalid version id specified",
    extra: { ArgumentName: argumentName, ArgumentValue: v },
  });
}

/** ?versionId: absent, or a non-empty id ("null" names the null version). */
export function versionIdParam(r: S3Request): string | undefined {
  const v = queryValue(r, "versionId");
  if (v === "") {
    throw new S3Error("InvalidArgument", {
      message: "Version id cannot be the empty string",
      extra: { ArgumentName: "versionId", ArgumentValue: "" },
    });
  }
  if (v !== undefined && !isVersionId(v)) throw invalidVersionId(v);
  return v;
}

/** The request body as authenticated: decoded (aws-chunked) and verified as it streams. */
export function requestBody(r: S3Request): VerifiedBody {
  const body = verifyBody(r.req, r.auth.payload, r.req.headersDistinct);
  // Expect: 100-continue is answered only once the request passed authentication, routing and the
  // handler's header checks: a refused upload is refused before the client sends its body.
  if (r.expectsContinue && !r.res.headersSent) r.res.writeContinue();
  return body;
}

/**
 * A small request document (configuration, part lists, delete lists), read whole and capped: S3
 * bounds these bodies, so buffering them is safe. Returns the raw bytes and the trailers.
 */
export async function readSmallBody(
  r: S3Request,
  maxBytes: number,
): Promise<{ data: Buffer; trailers: Readonly<Record<string, string>> }> {
  const body = requestBody(r);
  if (body.expectedLength !== undefined && body.expectedLength > maxBytes)
    throw new S3Error("MaxMessageLengthExceeded");
  const parts: Buffer[] = [];
  let n = 0;
  for await (const c of body) {
    n += c.length;
    if (n > maxBytes) throw new S3Error("MaxMessageLengthExceeded");
    parts.push(c);
  }
  return { data: Buffer.concat(parts), trailers: body.trailers };
}

export async function readXmlBody(r: S3Request, root: string, maxBytes = 1 << 20): Promise<ParsedXml> {
  const { data } = await readSmallBody(r, maxBytes);
  return parseXml(data.toString("utf8"), root);
}

export function sendXml(
  r: S3Request,
  root: string,
  body: XmlNode,
  opts: { status?: number; headers?: Record<string, string> } = {},
): void {
  const xml = Buffer.from(buildXml(root, body), "utf8");
  r.res.writeHead(opts.status ?? 200, {
    ...opts.headers,
    "content-type": "application/xml",
    "content-length": String(xml.length),
  });
  r.res.end(xml);
}

export function sendEmpty(r: S3Request, status: number, headers: Record<string, string> = {}): void {
  r.res.writeHead(status, { ...headers, "content-length": "0" });
  r.res.end();
}

/** Bodies up to this size are gathered and sent with one end(): a stream pipeline costs more than they do. */
const SMALL_BODY = 64 * 1024;

/** Stream an engine body out with back-pressure (or `whole`, its bytes at hand); a client that goes away stops the read. */
export async function sendStream(
  r: S3Request,
  status: number,
  headers: Record<string, string>,
  body: AsyncIterable<Buffer>,
  whole?: Buffer,
): Promise<void> {
  if (whole !== undefined) {
    r.res.writeHead(status, headers);
    r.res.end(whole);
    return;
  }
  const length = Number(headers["content-length"]);
  if (length <= SMALL_BODY) {
    const chunks: Buffer[] = [];
    for await (const c of body) chunks.push(c);
    r.res.writeHead(status, headers);
    r.res.end(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
    return;
  }
  r.res.writeHead(status, headers);
  await pipeline(body, r.res);
}

/** The bucket record checked by the server before the handler ran. */
export function bucketOf(r: S3Request): BucketRecord {
  if (!r.bucketRecord) throw new S3Error("InternalError", { message: "route without a bucket" });
  return r.bucketRecord;
}

/** S3's Last-Modified / HTTP dates. */
export function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

/** An integer query parameter in [min, max]; a bad value is InvalidArgument naming the parameter. */
export function intParam(
  r: S3Request,
  name: string,
  dflt: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const text = queryValue(r, name);
  if (text === undefined || text === "") return dflt;
  if (!/^-?\d{1,10}$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new S3Error("InvalidArgument", {
      message: `Provided ${name} not an integer or within integer range`,
      extra: { ArgumentName: name, ArgumentValue: text },
    });
  }
  return Number(text);
}
