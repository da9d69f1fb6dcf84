// The condition keys of one request, as a bucket policy's Condition block sees them (IAM and S3 global
// and service keys), lower-cased. A key the request does not carry is absent, never empty: `...IfExists`
// and the Null operator depend on that.

import { TLSSocket } from "node:tls";
import { header, type S3Request } from "../http/context.ts";
import { parseIp } from "./policy/ip.ts";

export type ConditionMap = Map<string, readonly string[]>;

/** The client's address as policies and network rules see it: IPv4-mapped IPv6 becomes the IPv4 address. */
export function sourceIp(r: Pick<S3Request, "req">): string | undefined {
  const raw = r.req.socket.remoteAddress;
  if (raw === undefined) return undefined;
  const ip = parseIp(raw);
  if (!ip) return undefined;
  if (ip.family === 4) {
    const v = Number(ip.value);
    return [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join(".");
  }
  return raw.replace(/%.*$/, "").toLowerCase();
}

/** Headers whose S3 condition key is `s3:<header name>`. */
const HEADER_KEYS = [
  "x-amz-acl",
  "x-amz-grant-full-control",
  "x-amz-grant-read",
  "x-amz-grant-read-acp",
  "x-amz-grant-write",
  "x-amz-grant-write-acp",
  "x-amz-server-side-encryption",
  "x-amz-server-side-encryption-aws-kms-key-id",
  "x-amz-server-side-encryption-customer-algorithm",
  "x-amz-storage-class",
  "x-amz-metadata-directive",
  "x-amz-copy-source",
  "x-amz-website-redirect-location",
  "x-amz-content-sha256",
];

/** Query parameters of listings whose key is `s3:<name>`. */
const LIST_KEYS = ["prefix", "delimiter", "max-keys"];

export interface KeyInputs {
  /** Account of the caller; undefined when anonymous. */
  principal: string | undefined;
  apiAction: string;
  bucketOwner: string;
  /** Tags of the object the request acts on, loaded only when a policy names s3:ExistingObjectTag. */
  existingTags?: () => readonly (readonly [string, string])[] | undefined;
}

export function conditionKeys(r: S3Request, k: KeyInputs): ConditionMap {
  const m: ConditionMap = new Map();
  const set = (key: string, v: string | undefined) => {
    if (v !== undefined) m.set(key.toLowerCase(), [v]);
  };
  set("aws:SourceIp", sourceIp(r));
  set("aws:SecureTransport", String(r.secureTransport));
  const now = r.config.now();
  set("aws:CurrentTime", new Date(now).toISOString().replace(/\.\d{3}Z$/, "Z"));
  set("aws:EpochTime", String(Math.floor(now / 1000)));
  set("aws:UserAgent", header(r, "user-agent"));
  set("aws:Referer", header(r, "referer"));
  set("s3:ResourceAccount", k.bucketOwner);
  if (k.principal !== undefined) {
    set("aws:PrincipalAccount", k.principal);
    set("aws:PrincipalArn", `arn:aws:iam::${k.principal}:root`);
    set("aws:userid", k.principal);
    set("aws:PrincipalType", "Account");
  }
  if (r.req.socket instanceof TLSSocket) {
    const v = r.req.socket.getProtocol(); // "TLSv1.3"
    if (v) set("s3:TlsVersion", v.replace(/^TLSv/, ""));
  }
  for (const h of HEADER_KEYS) set(`s3:${h}`, header(r, h));
  if (/^List(Objects|ObjectsV2|ObjectVersions)$/.test(k.apiAction)) {
    for (const q of LIST_KEYS) set(`s3:${q}`, r.query.get(q) ?? undefined);
  }
  const versionId = r.query.get("versionId");
  if (versionId !== null) set("s3:VersionId", versionId);
  if (r.auth.kind === "signed") {
    set(
      "s3:authType",
      k.apiAction === "PostObject"
        ? "POST"
        : r.auth.method === "presigned"
          ? "REST-QUERY-STRING"
          : "REST-HEADER",
    );
    set("s3:signatureversion", r.auth.version === "v4" ? "AWS4-HMAC-SHA256" : "AWS");
    const age = signatureAge(r);
    if (age !== undefined) set("s3:signatureAge", String(age));
  }
  if (k.existingTags) {
    const tags = k.existingTags();
    for (const [key, value] of tags ?? []) m.set(`s3:existingobjecttag/${key.toLowerCase()}`, [value]);
  }
  return m;
}

/** Milliseconds since the signature's timestamp (x-amz-date / X-Amz-Date / Date), on the real clock. */
function signatureAge(r: S3Request): number | undefined {
  const stamp = r.query.get("X-Amz-Date") ?? header(r, "x-amz-date");
  let t: number | undefined;
  const m = stamp ? /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(stamp) : null;
  if (m) t = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  else {
    const d = header(r, "date");
    if (d !== undefined && !Number.isNaN(Date.parse(d))) t = Date.parse(d);
  }
  return t === undefined ? undefined : Math.max(0, Date.now() - t);
}
