// IPv4 / IPv6 addresses and CIDR blocks for IpAddress / NotIpAddress. Addresses become BigInts so one
// prefix test serves both families; an IPv4-mapped IPv6 address (::ffff:a.b.c.d, what a dual-stack
// socket reports for an IPv4 client) is taken as the IPv4 address it carries.

import { isIPv4, isIPv6 } from "node:net";

export interface IpAddr {
  readonly family: 4 | 6;
  readonly value: bigint;
}

export interface Cidr {
  readonly family: 4 | 6;
  readonly base: bigint;
  readonly prefix: number;
}

function v4(text: string): bigint {
  return text.split(".").reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function v6(text: string): bigint {
  let s = text;
  // A trailing dotted quad holds the last 32 bits.
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  let tail: bigint | undefined;
  if (quad) {
    tail = v4(quad[1]!);
    s = `${s.slice(0, -quad[1]!.length)}0:0`;
  }
  const [head, rest] = s.includes("::") ? (s.split("::") as [string, string]) : [s, undefined];
  const left = head === "" ? [] : head.split(":");
  const right = rest === undefined || rest === "" ? [] : rest.split(":");
  const groups =
    rest === undefined
      ? left
      : [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right];
  let value = groups.reduce((acc, g) => (acc << 16n) | BigInt(Number.parseInt(g, 16)), 0n);
  if (tail !== undefined) value = (value & ~0xffffffffn) | tail;
  return value;
}

const MAPPED_PREFIX = 0xffffn << 32n;

/** A textual address (IPv6 zone ids and brackets stripped), or undefined when it is none. */
export function parseIp(text: string): IpAddr | undefined {
  const bare = text.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  if (isIPv4(bare)) return { family: 4, value: v4(bare) };
  if (!isIPv6(bare)) return undefined;
  const value = v6(bare);
  if (value >> 32n === MAPPED_PREFIX >> 32n) return { family: 4, value: value & 0xffffffffn };
  return { family: 6, value };
}

/** `a.b.c.d/n`, `x::y/n`, or a bare address (a /32 or /128). */
export function parseCidr(text: string): Cidr | undefined {
  const m = /^([^/]+?)(?:\/(\d{1,3}))?$/.exec(text.trim());
  if (!m) return undefined;
  const bare = m[1]!;
  const family = isIPv4(bare) ? 4 : isIPv6(bare) ? 6 : undefined;
  if (family === undefined) return undefined;
  const bits = family === 4 ? 32 : 128;
  const prefix = m[2] === undefined ? bits : Number(m[2]);
  if (prefix > bits) return undefined;
  const value = family === 4 ? v4(bare) : v6(bare);
  return { family, base: value & mask(prefix, bits), prefix };
}

function mask(prefix: number, bits: number): bigint {
  const all = (1n << BigInt(bits)) - 1n;
  return prefix === 0 ? 0n : (all << BigInt(bits - prefix)) & all;
}

export function cidrContains(c: Cidr, ip: IpAddr): boolean {
  if (c.family !== ip.family) return false;
  const bits = c.family === 4 ? 32 : 128;
  return (ip.value & mask(c.prefix, bits)) === c.base;
}
