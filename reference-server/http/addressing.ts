// Path-style (`/bucket/key`) and virtual-hosted-style (`bucket.base-domain/key`) addressing.

import { S3Error } from "./s3-error.ts";

export interface Address {
  /** Path as received, still percent-encoded, without the query (what SigV4 signs). */
  rawPath: string;
  rawQuery: string;
  bucket?: string;
  /** Decoded object key; undefined (not "") at bucket and service level. */
  key?: string;
  /** Set when the bucket came from the Host header. */
  virtualHostBucket?: string;
}

function hostName(host: string | undefined): string {
  if (!host) return "";
  const h = host.trim().toLowerCase();
  if (h.startsWith("[")) return h.slice(0, h.indexOf("]") + 1); // IPv6 literal
  const colon = h.lastIndexOf(":");
  return colon >= 0 ? h.slice(0, colon) : h;
}

function decode(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    // Not percent-encoded UTF-8: S3 cannot name an object with it.
    throw new S3Error("InvalidURI");
  }
}

export function parseAddress(url: string, host: string | undefined, baseDomains: readonly string[]): Address {
  if (!url.startsWith("/")) throw new S3Error("InvalidURI");
  const q = url.indexOf("?");
  const rawPath = q >= 0 ? url.slice(0, q) : url;
  const rawQuery = q >= 0 ? url.slice(q + 1) : "";
  const name = hostName(host);
  let virtualHostBucket: string | undefined;
  for (const base of baseDomains) {
    const b = base.toLowerCase();
    if (name.endsWith(`.${b}`) && name.length > b.length + 1) {
      virtualHostBucket = name.slice(0, name.length - b.length - 1);
      break;
    }
  }
  if (virtualHostBucket !== undefined) {
    const key = rawPath.length > 1 ? decode(rawPath.slice(1)) : undefined;
    return { rawPath, rawQuery, bucket: virtualHostBucket, key, virtualHostBucket };
  }
  const rest = rawPath.slice(1);
  if (rest === "") return { rawPath, rawQuery };
  const slash = rest.indexOf("/");
  const bucket = decode(slash < 0 ? rest : rest.slice(0, slash));
  const rawKey = slash < 0 ? "" : rest.slice(slash + 1);
  return { rawPath, rawQuery, bucket, key: rawKey === "" ? undefined : decode(rawKey) };
}

// `<bucket>.s3-website.<base>`, `<bucket>.s3-website-<region>.<base>`, `<bucket>.s3-website.<region>.<base>`.
const WEBSITE_HOST = /^(.+)\.s3-website(?:[.-][a-z0-9-]+)?$/;

/**
 * The bucket a website-endpoint Host names (AWS's website endpoint styles over the configured base
 * domains and `localhost`), or undefined for any other host.
 */
export function websiteBucket(host: string | undefined, baseDomains: readonly string[]): string | undefined {
  const name = hostName(host);
  for (const base of [...baseDomains, "localhost"]) {
    const b = base.toLowerCase();
    if (!name.endsWith(`.${b}`)) continue;
    const m = WEBSITE_HOST.exec(name.slice(0, name.length - b.length - 1));
    if (m) return m[1];
  }
  return undefined;
}
