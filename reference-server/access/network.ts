// Network access per bucket (set through the management API): "public" answers any address, "private"
// only the provider's own networks (a server option, loopback by default), "custom" a list of IPv4 CIDR
// blocks. It is checked for every request that names the bucket, presigned or anonymous ones included,
// before anything else about access is decided.

import type { S3Request } from "../http/context.ts";
import { S3Error } from "../http/s3-error.ts";
import type { BucketRecord } from "../storage/index-db.ts";
import { type Cidr, cidrContains, parseCidr, parseIp } from "./policy/ip.ts";
import { type NetworkAccess, networkAccess } from "./settings.ts";

/** The provider's networks when no option names them: IPv4 and IPv6 loopback. */
export const DEFAULT_PRIVATE_CIDRS: readonly string[] = ["127.0.0.0/8", "::1/128"];

const parsed = new Map<string, Cidr | undefined>();

function cidr(text: string): Cidr | undefined {
  let c = parsed.get(text);
  if (c === undefined && !parsed.has(text)) {
    c = parseCidr(text);
    if (parsed.size > 4096) parsed.clear();
    parsed.set(text, c);
  }
  return c;
}

/** Is this address (as the socket reports it) allowed by these rules? */
export function networkAllows(
  access: NetworkAccess,
  address: string | undefined,
  privateCidrs: readonly string[],
): boolean {
  if (access.mode === "public") return true;
  const ip = address === undefined ? undefined : parseIp(address);
  if (!ip) return false;
  const blocks = access.mode === "private" ? privateCidrs : access.cidrs;
  return blocks.some((b) => {
    const c = cidr(b);
    return c !== undefined && cidrContains(c, ip);
  });
}

/** Throws AccessDenied when the request's address may not reach this bucket. */
export function checkNetwork(r: S3Request, bucket: BucketRecord): void {
  const access = networkAccess(bucket);
  if (access.mode === "public") return;
  if (!networkAllows(access, r.req.socket.remoteAddress, r.config.privateCidrs ?? DEFAULT_PRIVATE_CIDRS))
    throw new S3Error("AccessDenied");
}

/**
 * Validates a custom list for the management API: IPv4 blocks only (`a.b.c.d/n` or a bare address).
 * Returns the blocks normalised (`10.1.2.3/8` → `10.0.0.0/8`), or the first invalid entry.
 */
export function normaliseCustomCidrs(list: readonly string[]): { cidrs: string[] } | { invalid: string } {
  const out: string[] = [];
  for (const raw of list) {
    const c = typeof raw === "string" ? parseCidr(raw) : undefined;
    if (c?.family !== 4) return { invalid: String(raw) };
    const v = Number(c.base);
    out.push(`${[v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join(".")}/${c.prefix}`);
  }
  return { cidrs: out };
}
