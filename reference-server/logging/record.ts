// One request as the logs see it: the facts both logs are written from (the AWS-format server access log
// of a bucket, and the platform's own JSON log), gathered when the response is over.

import type { IncomingMessage, ServerResponse } from "node:http";
import { TLSSocket } from "node:tls";
import { parseAddress, websiteBucket } from "../http/addressing.ts";
import { parseCopySource } from "../http/copy-source.ts";
import { toS3Error } from "../http/error-map.ts";
import { subResourceOf } from "../http/routes.ts";
import { type Exchange, hasBody, ObservedResponse, type RequestTrace } from "./observe.ts";

export interface AccessRecord {
  /** Arrival, on the server's S3 clock (ms). */
  time: number;
  requestId: string;
  hostId: string;
  remoteIp: string;
  method: string;
  /** The request target (path and query) with signatures and session tokens redacted. */
  uri: string;
  httpVersion: string;
  bucket?: string;
  key?: string;
  /** The route's action (PutObject, ...) when the request was routed. */
  action?: string;
  /** AWS's operation name, e.g. REST.GET.OBJECT. */
  operation: string;
  /** Account id of a signed request. */
  requester?: string;
  accessKeyId?: string;
  status: number;
  errorCode?: string;
  bytesSent: number;
  /** Declared request body size (Content-Length, or the decoded length of aws-chunked bodies). */
  bytesReceived?: number;
  objectSize?: number;
  totalMs?: number;
  turnaroundMs?: number;
  referer?: string;
  userAgent?: string;
  versionId?: string;
  signatureVersion?: "SigV2" | "SigV4";
  authType?: "AuthHeader" | "QueryString";
  tlsVersion?: string;
  cipher?: string;
  host?: string;
  /** The source of a server-side copy, which is logged in the source bucket's log too. */
  copySource?: { bucket: string; key: string; versionId?: string };
}

// Query parameters that carry a signature or a session token: never logged.
const SECRET_PARAMS = new Set(["x-amz-signature", "signature", "x-amz-security-token"]);

/** The request target with secret query values replaced by "REDACTED" (the rest kept byte for byte). */
export function redactUri(url: string): string {
  const q = url.indexOf("?");
  if (q < 0) return url;
  const parts = url
    .slice(q + 1)
    .split("&")
    .map((p) => {
      const eq = p.indexOf("=");
      const name = eq < 0 ? p : p.slice(0, eq);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name);
      } catch {
        // Keep the raw name.
      }
      return SECRET_PARAMS.has(decoded.toLowerCase()) ? `${name}=REDACTED` : p;
    });
  return `${url.slice(0, q)}?${parts.join("&")}`;
}

// Resource type of each action in AWS's operation names (REST.<method>.<type>).
const RESOURCE: Record<string, string> = {
  ListBuckets: "SERVICE",
  CreateBucket: "BUCKET",
  HeadBucket: "BUCKET",
  DeleteBucket: "BUCKET",
  ListObjects: "BUCKET",
  ListObjectsV2: "BUCKET",
  ListObjectVersions: "BUCKETVERSIONS",
  ListMultipartUploads: "UPLOADS",
  GetBucketLocation: "LOCATION",
  DeleteObjects: "MULTI_OBJECT_DELETE",
  PutBucketLogging: "LOGGING_STATUS",
  GetBucketLogging: "LOGGING_STATUS",
  PutBucketPolicy: "BUCKETPOLICY",
  GetBucketPolicy: "BUCKETPOLICY",
  DeleteBucketPolicy: "BUCKETPOLICY",
  GetBucketPolicyStatus: "POLICY_STATUS",
  PutObject: "OBJECT",
  GetObject: "OBJECT",
  HeadObject: "OBJECT",
  DeleteObject: "OBJECT",
  CopyObject: "OBJECT",
  UploadPartCopy: "PART",
  CreateMultipartUpload: "UPLOADS",
  UploadPart: "PART",
  CompleteMultipartUpload: "UPLOAD",
  AbortMultipartUpload: "UPLOAD",
  ListParts: "UPLOAD",
  PutObjectTagging: "OBJECT_TAGGING",
  GetObjectTagging: "OBJECT_TAGGING",
  DeleteObjectTagging: "OBJECT_TAGGING",
  GetObjectAttributes: "OBJECT_ATTRIBUTES",
  PutObjectAcl: "ACL",
  GetObjectAcl: "ACL",
  PutBucketAcl: "ACL",
  GetBucketAcl: "ACL",
  PostObject: "BUCKET",
};

// Sub-resources whose AWS type name is not simply the parameter upper-cased.
const SUB_TYPE: Record<string, string> = {
  "object-lock": "OBJECT_LOCK_CONFIGURATION",
  ownershipControls: "OWNERSHIP_CONTROLS",
  publicAccessBlock: "PUBLIC_ACCESS_BLOCK",
  policyStatus: "POLICY_STATUS",
  policy: "BUCKETPOLICY",
  requestPayment: "REQUEST_PAYMENT",
  "intelligent-tiering": "INTELLIGENT_TIERING",
  "legal-hold": "LEGAL_HOLD",
  versions: "BUCKETVERSIONS",
  logging: "LOGGING_STATUS",
  uploadId: "UPLOAD",
  "list-type": "",
};

/** AWS's operation name for the log: REST.GET.OBJECT, REST.PUT.LOGGING_STATUS, REST.COPY.OBJECT, ... */
export function operationName(
  method: string,
  action: string | undefined,
  level: "service" | "bucket" | "object",
  sub: string,
): string {
  if (action === "CopyObject") return "REST.COPY.OBJECT";
  if (action === "UploadPartCopy") return "REST.COPY.PART";
  if (method === "OPTIONS") return "REST.OPTIONS.PREFLIGHT";
  let type = action ? RESOURCE[action] : undefined;
  if (type === undefined) {
    const mapped = SUB_TYPE[sub] ?? sub.replace(/-/g, "_").toUpperCase();
    type = mapped || (level === "object" ? "OBJECT" : level === "bucket" ? "BUCKET" : "SERVICE");
  }
  return `REST.${method}.${type}`;
}

function single(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(",") : v;
}

function intHeader(v: string | number | string[] | undefined): number | undefined {
  const s = Array.isArray(v) ? v[0] : v;
  if (s === undefined || s === "") return undefined;
  const n = Number(s);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** How the request was signed, from the request itself (it says so even when the signature failed). */
function signing(
  req: IncomingMessage,
  query: URLSearchParams,
): Pick<AccessRecord, "signatureVersion" | "authType"> {
  const auth = single(req, "authorization");
  if (auth !== undefined) {
    return { authType: "AuthHeader", signatureVersion: auth.startsWith("AWS4-") ? "SigV4" : "SigV2" };
  }
  if (query.has("X-Amz-Signature")) return { authType: "QueryString", signatureVersion: "SigV4" };
  if (query.has("Signature")) return { authType: "QueryString", signatureVersion: "SigV2" };
  return {};
}

/** The size of the object a request read or wrote, when it did. */
function objectSize(
  req: IncomingMessage,
  res: ServerResponse,
  action: string | undefined,
): number | undefined {
  if (res.statusCode >= 300) return undefined;
  if (action === "GetObject" || action === "HeadObject") {
    const range = responseHeader(res, "content-range");
    const m = typeof range === "string" ? /\/(\d+)$/.exec(range) : null;
    return m ? Number(m[1]) : intHeader(responseHeader(res, "content-length"));
  }
  if (action === "PutObject" || action === "UploadPart") {
    return intHeader(req.headers["x-amz-decoded-content-length"]) ?? intHeader(req.headers["content-length"]);
  }
  return undefined;
}

function responseHeader(res: ServerResponse, name: string) {
  return res instanceof ObservedResponse ? res.headerOf(name) : res.getHeader(name);
}

function roundMs(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined ? undefined : Math.max(0, Math.round(b - a));
}

/** Everything the logs say about one finished exchange. */
export function buildRecord(
  req: IncomingMessage,
  res: ServerResponse,
  trace: RequestTrace,
  x: Exchange,
  time: number,
  baseDomains: readonly string[],
): AccessRecord {
  const r = trace.request;
  const url = req.url ?? "/";
  let bucket = r?.bucket;
  let key = r?.key;
  let query = r?.query;
  // The website endpoint: its own requests, logged in the site bucket's log as WEBSITE.<method>.OBJECT.
  const site = r ? undefined : websiteBucket(req.headers.host, baseDomains);
  if (site !== undefined) {
    bucket = site;
    const path = url.split("?")[0].slice(1);
    try {
      key = path === "" ? undefined : decodeURIComponent(path);
    } catch {
      key = path;
    }
  } else if (!r) {
    try {
      const addr = parseAddress(url, req.headers.host, baseDomains);
      bucket = addr.bucket;
      key = addr.key;
      query = new URLSearchParams(addr.rawQuery);
    } catch {
      // An unparseable address: logged without bucket or key.
    }
  }
  query ??= new URLSearchParams();
  let sub = "";
  try {
    sub = subResourceOf(query);
  } catch {
    // Two sub-resources at once: NotImplemented, logged by method and level.
  }
  const level = bucket === undefined ? "service" : key === undefined ? "bucket" : "object";
  const method = req.method ?? "GET";
  const action = r?.action;
  const signed = r?.auth.kind === "signed" ? r.auth : undefined;
  const socket = req.socket;
  const tls = socket instanceof TLSSocket ? socket : undefined;
  const status = res.statusCode;
  const versionHeader = responseHeader(res, "x-amz-version-id");
  let copySource: AccessRecord["copySource"];
  const copyHeader = single(req, "x-amz-copy-source");
  if (copyHeader !== undefined && (action === "CopyObject" || action === "UploadPartCopy")) {
    try {
      copySource = parseCopySource(copyHeader);
    } catch {
      // Refused as InvalidArgument; nothing was read from a source.
    }
  }
  return {
    time,
    requestId: trace.requestId,
    hostId: trace.hostId,
    remoteIp: (socket?.remoteAddress ?? "").replace(/^::ffff:/, ""),
    method,
    uri: redactUri(url),
    httpVersion: req.httpVersion,
    bucket,
    key,
    action,
    operation: site !== undefined ? `WEBSITE.${method}.OBJECT` : operationName(method, action, level, sub),
    requester: signed?.principal,
    accessKeyId: signed?.accessKeyId,
    status,
    errorCode: status >= 300 && trace.error !== undefined ? toS3Error(trace.error).code : undefined,
    bytesSent: x.bytesSent,
    bytesReceived:
      intHeader(req.headers["x-amz-decoded-content-length"]) ?? intHeader(req.headers["content-length"]),
    objectSize: objectSize(req, res, action),
    totalMs: roundMs(x.start, x.end),
    // No body to wait for: the request was complete on arrival.
    turnaroundMs: roundMs(x.requestEnd ?? (hasBody(req) ? undefined : x.start), x.firstByte),
    referer: single(req, "referer"),
    userAgent: single(req, "user-agent"),
    versionId: typeof versionHeader === "string" ? versionHeader : (query.get("versionId") ?? undefined),
    ...signing(req, query),
    tlsVersion: tls?.getProtocol() ?? undefined,
    cipher: tls?.getCipher()?.name,
    host: single(req, "host"),
    copySource,
  };
}
