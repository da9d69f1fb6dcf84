// SigV2 (legacy clients): `Authorization: AWS AKID:base64(hmac-sha1)` or AWSAccessKeyId/Signature/Expires in
// the query, over S3's string to sign:
//   VERB \n Content-MD5 \n Content-Type \n Date|Expires \n CanonicalizedAmzHeaders CanonicalizedResource

import { createHmac } from "node:crypto";
import { S3Error } from "../http/s3-error.ts";
import { headerValue, hexBytes, isoSeconds, parseHttpDate, queryPairs, safeEqual } from "./encoding.ts";
import { checkSkew, lookupCredentials } from "./sigv4.ts";
import type { AuthContext, AuthOptions, AuthRequest, CredentialLookup } from "./types.ts";

/** Query parameters that name a sub-resource and are therefore part of the V2 canonicalized resource. */
export const V2_SUBRESOURCES: ReadonlySet<string> = new Set([
  "accelerate",
  "acl",
  "analytics",
  "attributes",
  "cors",
  "delete",
  "encryption",
  "intelligent-tiering",
  "inventory",
  "legal-hold",
  "lifecycle",
  "location",
  "logging",
  "metrics",
  "notification",
  "object-lock",
  "ownershipControls",
  "partNumber",
  "policy",
  "policyStatus",
  "publicAccessBlock",
  "replication",
  "requestPayment",
  "response-cache-control",
  "response-content-disposition",
  "response-content-encoding",
  "response-content-language",
  "response-content-type",
  "response-expires",
  "restore",
  "retention",
  "select",
  "select-type",
  "tagging",
  "torrent",
  "uploadId",
  "uploads",
  "versionId",
  "versioning",
  "versions",
  "website",
]);

/** `/bucket/key?sub=resource&...`: the bucket prefix comes from the Host for virtual-hosted requests. */
export function canonicalizedResource(req: AuthRequest): string {
  let resource =
    (req.virtualHostBucket !== undefined ? `/${req.virtualHostBucket}` : "") + (req.rawPath || "/");
  const subs = queryPairs(req.query).filter(([k]) => V2_SUBRESOURCES.has(k));
  if (subs.length > 0) {
    subs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    resource += "?" + subs.map(([k, v]) => (v === "" ? k : `${k}=${v}`)).join("&");
  }
  return resource;
}

/** `name:value\n` for every x-amz-* header, sorted, repeated values joined by ",", folding unfolded. */
export function canonicalizedAmzHeaders(headers: AuthRequest["headers"]): string {
  const names = Object.keys(headers)
    .filter((n) => n.startsWith("x-amz-") && headers[n] !== undefined)
    .sort();
  let out = "";
  for (const name of names) {
    const raw = headers[name]!;
    const values = (typeof raw === "string" ? [raw] : raw).map((v) => v.replace(/\r?\n[ \t]+/g, " ").trim());
    out += `${name}:${values.join(",")}\n`;
  }
  return out;
}

/** `dateLine` is the Date header (empty when x-amz-date is used) or, for query auth, Expires. */
export function stringToSignV2(req: AuthRequest, dateLine: string): string {
  return (
    `${req.method}\n` +
    `${headerValue(req.headers, "content-md5") ?? ""}\n` +
    `${headerValue(req.headers, "content-type") ?? ""}\n` +
    `${dateLine}\n` +
    canonicalizedAmzHeaders(req.headers) +
    canonicalizedResource(req)
  );
}

export function signV2(secret: string, stringToSign: string): string {
  return createHmac("sha1", secret).update(stringToSign, "utf8").digest("base64");
}

function verify(
  req: AuthRequest,
  accessKeyId: string,
  signature: string,
  dateLine: string,
  lookup: CredentialLookup,
  token: string | undefined,
) {
  const creds = lookupCredentials(lookup, accessKeyId, token);
  const sts = stringToSignV2(req, dateLine);
  let ok = safeEqual(signV2(creds.secretAccessKey, sts), signature);
  const amzDate = headerValue(req.headers, "x-amz-date");
  if (!ok && amzDate !== undefined && dateLine === "") {
    // AWS's own V2 DELETE example signs x-amz-date on the Date line instead of among the amz headers;
    // legacy clients copied it. The date stays signed either way.
    const { "x-amz-date": _, ...rest } = req.headers;
    ok = safeEqual(
      signV2(creds.secretAccessKey, stringToSignV2({ ...req, headers: rest }, amzDate)),
      signature,
    );
  }
  if (!ok) {
    throw new S3Error("SignatureDoesNotMatch", {
      extra: {
        AWSAccessKeyId: accessKeyId,
        StringToSign: sts,
        SignatureProvided: signature,
        StringToSignBytes: hexBytes(sts),
      },
    });
  }
  return creds;
}

export function authenticateV2Header(
  req: AuthRequest,
  authorization: string,
  lookup: CredentialLookup,
  opts: AuthOptions,
): AuthContext {
  const m = /^AWS ([^:\s]+):(\S+)$/.exec(authorization);
  if (!m) {
    throw new S3Error("InvalidArgument", {
      message: "AWS authorization header is invalid.  Expected AwsAccessKeyId:signature",
      extra: { ArgumentName: "Authorization", ArgumentValue: authorization },
    });
  }
  const amzDate = headerValue(req.headers, "x-amz-date");
  const rawTime = amzDate ?? headerValue(req.headers, "date");
  const date = rawTime === undefined ? undefined : parseHttpDate(rawTime);
  if (rawTime === undefined || !date) {
    throw new S3Error("AccessDenied", {
      message: "AWS authentication requires a valid Date or x-amz-date header",
    });
  }
  checkSkew(date, rawTime, opts);
  // x-amz-date travels in the amz headers, so the Date line is then empty.
  const dateLine = amzDate !== undefined ? "" : (headerValue(req.headers, "date") ?? "");
  const creds = verify(req, m[1], m[2], dateLine, lookup, headerValue(req.headers, "x-amz-security-token"));
  return signedV2(m[1], creds.principal, "header");
}

export function authenticateV2Query(
  req: AuthRequest,
  lookup: CredentialLookup,
  opts: AuthOptions,
): AuthContext {
  const pairs = queryPairs(req.query);
  const get = (name: string) => pairs.find(([k]) => k === name)?.[1];
  const accessKeyId = get("AWSAccessKeyId");
  const expires = get("Expires");
  let signature = get("Signature");
  if (accessKeyId === undefined || expires === undefined || signature === undefined) {
    throw new S3Error("AccessDenied", {
      message: "Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters",
    });
  }
  if (!/^\d+$/.test(expires)) {
    throw new S3Error("AccessDenied", {
      message: `Invalid date (should be seconds since epoch): ${expires}`,
    });
  }
  const expiresAt = new Date(Number(expires) * 1000);
  if (opts.now.getTime() > expiresAt.getTime()) {
    throw new S3Error("AccessDenied", {
      message: "Request has expired",
      extra: { Expires: isoSeconds(expiresAt), ServerTime: isoSeconds(opts.now) },
    });
  }
  // Clients that forget to percent-encode '+' in the base64 signature have it decoded to a space.
  signature = signature.replace(/ /g, "+");
  const token = get("x-amz-security-token") ?? headerValue(req.headers, "x-amz-security-token");
  const creds = verify(req, accessKeyId, signature, expires, lookup, token);
  return { ...signedV2(accessKeyId, creds.principal, "presigned"), expiresAt };
}

function signedV2(accessKeyId: string, principal: string, method: "header" | "presigned") {
  return {
    kind: "signed" as const,
    version: "v2" as const,
    method,
    accessKeyId,
    principal,
    payload: { mode: "unsigned" as const },
  };
}
