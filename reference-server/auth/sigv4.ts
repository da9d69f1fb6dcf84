// What SigV4 header and presigned authentication share once their inputs are parsed: credential scope
// checks, key lookup, the signed-headers rule, signature verification and the payload mode.

import type { KeyObject } from "node:crypto";
import { S3Error, type S3ErrorCode } from "../http/s3-error.ts";
import { canonicalBytes, canonicalRequest, stringToSign } from "./canonical-request.ts";
import { headerValue, hexBytes, isoSeconds, reencodePath, safeEqual } from "./encoding.ts";
import { hmacHex, signingKey } from "./signing-key.ts";
import type {
  AuthContext,
  AuthOptions,
  AuthRequest,
  CredentialLookup,
  Credentials,
  PayloadMode,
} from "./types.ts";

export const SERVICE = "s3";
export const TERMINAL = "aws4_request";
export const DEFAULT_MAX_SKEW_MS = 15 * 60 * 1000;

export interface Credential {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  terminal: string;
}

/** `AKID/yyyyMMdd/region/service/aws4_request`; undefined when it does not have five non-empty parts. */
export function parseCredential(text: string): Credential | undefined {
  const parts = text.split("/");
  if (parts.length !== 5 || parts.some((p) => p === "")) return undefined;
  const [accessKeyId, date, region, service, terminal] = parts;
  return { accessKeyId, date, region, service, terminal };
}

/** Everything a SigV4 style extracted from the request, ready to verify. */
export interface V4Input {
  style: "header" | "presigned";
  credential: Credential;
  signedHeaders: string[];
  signature: string;
  /** ISO 8601 basic timestamp as signed (X-Amz-Date, or the Date header reformatted). */
  timestamp: string;
  payloadHash: string;
  /** Canonical query string (presigned excludes X-Amz-Signature). */
  query: string;
  /** Session token carried by the request, if any. */
  token?: string;
  expiresAt?: Date;
}

/**
 * Scope checks in AWS's order and words. `prefix`/`code` differ between the Authorization header
 * ("The authorization header is malformed; ") and presigned URLs ("Error parsing the X-Amz-Credential
 * parameter; ").
 */
export function checkScope(
  cred: Credential,
  timestamp: string,
  opts: AuthOptions,
  code: S3ErrorCode,
  prefix: string,
): void {
  if (opts.region !== undefined && cred.region !== opts.region) {
    throw new S3Error(code, {
      message: `${prefix}the region '${cred.region}' is wrong; expecting '${opts.region}'`,
      extra: { Region: opts.region },
    });
  }
  if (cred.service !== SERVICE) {
    throw new S3Error(code, {
      message: `${prefix}incorrect service "${cred.service}". This endpoint belongs to "${SERVICE}".`,
    });
  }
  if (cred.terminal !== TERMINAL) {
    throw new S3Error(code, {
      message: `${prefix}incorrect terminal "${cred.terminal}". This endpoint uses "${TERMINAL}".`,
    });
  }
  if (cred.date !== timestamp.slice(0, 8)) {
    throw new S3Error(code, {
      message: `${prefix}Invalid credential date "${cred.date}". This date is not the same as X-Amz-Date: "${timestamp.slice(0, 8)}".`,
    });
  }
}

export function checkSkew(date: Date, rawTime: string, opts: AuthOptions): void {
  const maxSkew = opts.maxSkewMs ?? DEFAULT_MAX_SKEW_MS;
  if (Math.abs(opts.now.getTime() - date.getTime()) > maxSkew) {
    throw new S3Error("RequestTimeTooSkewed", {
      extra: {
        RequestTime: rawTime,
        ServerTime: isoSeconds(opts.now),
        MaxAllowedSkewMilliseconds: String(maxSkew),
      },
    });
  }
}

export function lookupCredentials(
  lookup: CredentialLookup,
  accessKeyId: string,
  token?: string,
): Credentials {
  const creds = lookup(accessKeyId);
  // Temporary keys are unknown without their token, as AWS reports it.
  if (!creds || (creds.sessionToken !== undefined && token === undefined)) {
    throw new S3Error("InvalidAccessKeyId", { extra: { AWSAccessKeyId: accessKeyId } });
  }
  if (token !== undefined && !safeEqual(token, creds.sessionToken ?? "")) throw new S3Error("InvalidToken");
  return creds;
}

/** S3 wants host and every x-amz-* header present in the request to be covered by the signature. */
export function checkSignedHeaders(headers: AuthRequest["headers"], signed: string[]): void {
  // A list scan, not a Set: a request signs a handful of headers, and this runs on every request.
  const missing: string[] = [];
  if (!signed.includes("host")) missing.push("host");
  for (const name in headers) {
    if (name.startsWith("x-amz-") && headers[name] !== undefined && !signed.includes(name))
      missing.push(name);
  }
  if (missing.length > 0) {
    throw new S3Error("AccessDenied", {
      message: "There were headers present in the request which were not signed",
      extra: { HeadersNotSigned: missing.join(", ") },
    });
  }
}

const HEX64 = /^[0-9a-fA-F]{64}$/;
const CONTENT_SHA256_VALUES =
  "UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, " +
  "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, " +
  "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER or a valid sha256 value.";

export interface ChunkSigning {
  seedSignature: string;
  signingKey: KeyObject;
  scope: string;
  timestamp: string;
}

const SIGNED_STREAMING = new Set([
  "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
  "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
]);

/** Rejects an x-amz-content-sha256 value S3 does not know, before any signature work. */
export function checkPayloadHash(value: string): void {
  if (value === "UNSIGNED-PAYLOAD" || value === "STREAMING-UNSIGNED-PAYLOAD-TRAILER") return;
  if (HEX64.test(value) || SIGNED_STREAMING.has(value)) return;
  if (value.startsWith("STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD")) {
    throw new S3Error("NotImplemented", { message: "SigV4a (ECDSA) signed payloads are not implemented" });
  }
  throw new S3Error("InvalidArgument", {
    message: `x-amz-content-sha256 must be ${CONTENT_SHA256_VALUES}`,
    extra: { ArgumentName: "x-amz-content-sha256", ArgumentValue: value },
  });
}

/** Payload mode named by x-amz-content-sha256; `signing` is absent for anonymous requests. */
export function payloadModeFor(value: string, signing?: ChunkSigning): PayloadMode {
  checkPayloadHash(value);
  if (value === "UNSIGNED-PAYLOAD") return { mode: "unsigned" };
  if (value === "STREAMING-UNSIGNED-PAYLOAD-TRAILER") return { mode: "streaming-unsigned-trailer" };
  if (SIGNED_STREAMING.has(value)) {
    if (!signing) {
      throw new S3Error("AccessDenied", { message: "A signed streaming payload requires a signed request" });
    }
    return { mode: "streaming-signed", ...signing, trailer: value.endsWith("-TRAILER") };
  }
  return { mode: "sha256", expected: value.toLowerCase() };
}

/** Anonymous requests still declare how their body is framed and may ask for a SHA-256 check. */
export function anonymousPayloadMode(headers: AuthRequest["headers"]): PayloadMode {
  const value = headerValue(headers, "x-amz-content-sha256");
  return value === undefined ? { mode: "unsigned" } : payloadModeFor(value);
}

export function verifyV4(
  req: AuthRequest,
  input: V4Input,
  lookup: CredentialLookup,
): AuthContext & { kind: "signed" } {
  const cred = input.credential;
  const creds = lookupCredentials(lookup, cred.accessKeyId, input.token);
  checkSignedHeaders(req.headers, input.signedHeaders);

  const key = signingKey(creds.secretAccessKey, cred.date, cred.region, cred.service);
  const scope = `${cred.date}/${cred.region}/${cred.service}/${cred.terminal}`;
  const build = (uri: string) => {
    const canonical = canonicalRequest(
      req.method,
      uri,
      input.query,
      req.headers,
      input.signedHeaders,
      input.payloadHash,
    );
    const sts = stringToSign(input.timestamp, scope, canonical);
    return { canonical, sts, signature: hmacHex(key, sts) };
  };
  // S3 signs the path exactly as sent (no double encoding). Clients that leave reserved characters
  // literal sign the SigV4-encoded form instead; both name the same key, so either is accepted.
  const rawUri = req.rawPath === "" ? "/" : req.rawPath;
  const primary = build(rawUri);
  let ok = safeEqual(primary.signature, input.signature);
  if (!ok) {
    const alt = reencodePath(rawUri);
    if (alt !== rawUri) ok = safeEqual(build(alt).signature, input.signature);
  }
  if (!ok) {
    throw new S3Error("SignatureDoesNotMatch", {
      extra: {
        AWSAccessKeyId: cred.accessKeyId,
        StringToSign: primary.sts,
        SignatureProvided: input.signature,
        StringToSignBytes: hexBytes(primary.sts),
        // Shown as the client would print it: the wire bytes read as UTF-8.
        CanonicalRequest: canonicalBytes(primary.canonical).toString("utf8"),
        CanonicalRequestBytes: canonicalBytes(primary.canonical)
          .toString("hex")
          .replace(/(..)(?!$)/g, "$1 "),
      },
    });
  }

  const payload = payloadModeFor(input.payloadHash, {
    seedSignature: input.signature,
    signingKey: key,
    scope,
    timestamp: input.timestamp,
  });
  const ctx: AuthContext & { kind: "signed" } = {
    kind: "signed",
    version: "v4",
    method: input.style,
    accessKeyId: cred.accessKeyId,
    principal: creds.principal,
    region: cred.region,
    signedHeaders: input.signedHeaders,
    payload,
  };
  if (input.expiresAt) ctx.expiresAt = input.expiresAt;
  return ctx;
}
