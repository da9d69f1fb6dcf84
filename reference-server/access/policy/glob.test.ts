// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${...}` here is IAM policy-variable syntax, not a JS template.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { globMatch, hasVariable, hasWildcard } from "./glob.ts";
import { cidrContains, parseCidr, parseIp } from "./ip.ts";

/** Reference: the same wildcard language as a regular expression. */
function viaRegex(pattern: string, text: string, ignoreCase = false): boolean {
  const body = [...pattern]
    .map((c) => (c === "*" ? "[\\s\\S]*" : c === "?" ? "[\\s\\S]" : c.replace(/[.+^${}()|[\]\\-]/g, "\\$&")))
    .join("");
  return new RegExp(`^${body}$`, ignoreCase ? "iu" : "u").test(text);
}

describe("globMatch", () => {
  it("matches stars and question marks", () => {
    expect(globMatch("arn:aws:s3:::b/*", "arn:aws:s3:::b/a/b/c")).toBe(true);
    expect(globMatch("arn:aws:s3:::b/*", "arn:aws:s3:::b")).toBe(false);
    expect(globMatch("a?c", "abc")).toBe(true);
    expect(globMatch("a?c", "ac")).toBe(false);
    expect(globMatch("*", "")).toBe(true);
    expect(globMatch("", "")).toBe(true);
    expect(globMatch("a*b*c", "aXXbYYc")).toBe(true);
    expect(globMatch("a*b*c", "aXXbYY")).toBe(false);
    expect(globMatch("s3:get*", "s3:GetObject", { ignoreCase: true })).toBe(true);
    expect(globMatch("s3:get*", "s3:GetObject")).toBe(false);
  });

  it("resolves policy variables literally", () => {
    const variable = (n: string) => (n === "aws:username" ? "a*b" : undefined);
    expect(globMatch("home/${aws:username}/*", "home/a*b/x", { variable })).toBe(true);
    // The star that came from the variable is not a wildcard.
    expect(globMatch("home/${aws:username}/*", "home/aZZb/x", { variable })).toBe(false);
    expect(globMatch("x${*}", "x*", { variable })).toBe(true);
    expect(globMatch("x${*}", "xy", { variable })).toBe(false);
    expect(globMatch("x${?}${$}", "x?$", { variable })).toBe(true);
    // An unresolvable variable matches nothing.
    expect(globMatch("home/${aws:userid}/*", "home/a/x", { variable })).toBe(false);
    // Without variables (2008-10-17) `${...}` is plain text.
    expect(globMatch("a${x}", "a${x}")).toBe(true);
  });

  it("agrees with a regex reference on arbitrary patterns (property)", () => {
    const alphabet = fc.constantFrom("a", "b", "/", "*", "?", "É", ".", "(");
    const pattern = fc.array(alphabet, { maxLength: 12 }).map((a) => a.join(""));
    const text = fc
      .array(fc.constantFrom("a", "b", "/", "*", "?", "É", "é", "."), { maxLength: 14 })
      .map((a) => a.join(""));
    fc.assert(
      fc.property(pattern, text, fc.boolean(), (p, t, ic) => {
        expect(globMatch(p, t, { ignoreCase: ic })).toBe(viaRegex(p, t, ic));
      }),
      { numRuns: 2000 },
    );
  });

  it("is linear on adversarial patterns", () => {
    const p = `${"*a".repeat(50)}b`;
    expect(globMatch(p, "a".repeat(5000))).toBe(false);
  });

  it("detects wildcards and variables", () => {
    expect(hasWildcard("a*")).toBe(true);
    expect(hasWildcard("a${*}")).toBe(false);
    expect(hasVariable("x/${aws:username}")).toBe(true);
    expect(hasVariable("x/$aws")).toBe(false);
  });
});

describe("ip", () => {
  it("parses IPv4 and IPv6 CIDRs and bare addresses", () => {
    expect(parseCidr("10.0.0.0/8")).toEqual({ family: 4, base: 10n << 24n, prefix: 8 });
    expect(parseCidr("192.168.1.7")?.prefix).toBe(32);
    expect(parseCidr("2001:db8::/32")?.prefix).toBe(32);
    expect(parseCidr("::1")?.prefix).toBe(128);
    for (const bad of ["10.0.0.0/33", "300.1.1.1/8", "abc", "2001:db8::/129", "", "1.2.3.4/"]) {
      expect(parseCidr(bad)).toBeUndefined();
    }
  });

  it("tests membership", () => {
    const has = (c: string, ip: string) => cidrContains(parseCidr(c)!, parseIp(ip)!);
    expect(has("127.0.0.1/32", "127.0.0.1")).toBe(true);
    expect(has("127.0.0.1/32", "127.0.0.2")).toBe(false);
    expect(has("10.0.0.0/8", "10.255.3.4")).toBe(true);
    expect(has("10.0.0.0/8", "11.0.0.1")).toBe(false);
    expect(has("0.0.0.0/0", "8.8.8.8")).toBe(true);
    expect(has("2001:db8::/32", "2001:db8:ffff::1")).toBe(true);
    expect(has("2001:db8::/32", "2001:db9::1")).toBe(false);
    expect(has("::1/128", "::1")).toBe(true);
    // IPv4-mapped IPv6 (a dual-stack socket's view of an IPv4 client) is the IPv4 address.
    expect(has("127.0.0.0/8", "::ffff:127.0.0.1")).toBe(true);
    expect(has("::/0", "127.0.0.1")).toBe(false);
    expect(has("1.2.3.4/32", "::ffff:1.2.3.5")).toBe(false);
    expect(has("64:ff9b::/96", "64:ff9b::1.2.3.4")).toBe(true);
  });

  it("agrees with a bitwise reference for IPv4 (property)", () => {
    const u32 = fc.integer({ min: 0, max: 0xffffffff });
    const dotted = (n: number) => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join(".");
    fc.assert(
      fc.property(u32, u32, fc.integer({ min: 0, max: 32 }), (base, ip, prefix) => {
        const m = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
        const expected = (base & m) >>> 0 === (ip & m) >>> 0;
        expect(cidrContains(parseCidr(`${dotted(base)}/${prefix}`)!, parseIp(dotted(ip))!)).toBe(expected);
      }),
      { numRuns: 1000 },
    );
  });
});
