// Shared fast-check arbitraries and the in-memory model of S3 listing that the property checks compare a
// target with. The seed is the harness's (assertProperty: fixed, PARITY_SEED overrides).

import fc from "fast-check";

/** Characters that break naive key handling: URL-special, form-special, non-ASCII of 2, 3 and 4 bytes. */
const AWKWARD = [
  " ",
  "+",
  "%",
  "%20",
  "%2F",
  "&",
  "=",
  "?",
  "#",
  ";",
  ":",
  "@",
  "$",
  ",",
  "!",
  "*",
  "'",
  "(",
  ")",
  "~",
  "[",
  "]",
  "é",
  "ß",
  "日本",
  "€",
  "😀",
  "\u00a0",
];

const segment = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: fc.stringMatching(/^[A-Za-z0-9._-]{1,8}$/) },
      { weight: 2, arbitrary: fc.constantFrom(...AWKWARD) },
      { weight: 1, arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 4 }) },
    ),
    { minLength: 1, maxLength: 6 },
  )
  .map((parts) => parts.join(""))
  // Control characters are valid in keys but not in XML 1.0 listings; "." and ".." segments are
  // normalised away by some HTTP stacks before S3 sees them.
  .filter((s) => !/[\u0000-\u001f\u007f]/.test(s) && s !== "." && s !== "..");

/** Keys of 1..1024 UTF-8 bytes with awkward characters, "/"-separated like paths. */
export const objectKey = fc
  .array(segment, { minLength: 1, maxLength: 5 })
  .map((parts) => parts.join("/"))
  .filter((k) => Buffer.byteLength(k) <= 1024);

/** A key of exactly 1024 UTF-8 bytes mixing 1-, 2-, 3- and 4-byte characters. */
export const maximalKey = fc
  .array(fc.constantFrom("a", "+", " ", "%", "é", "日", "😀", "/"), { minLength: 1, maxLength: 40 })
  .map((unit) => {
    let key = "";
    let i = 0;
    while (Buffer.byteLength(key) < 1024) {
      const next = unit[i % unit.length];
      if (Buffer.byteLength(key + next) > 1024) break;
      key += next;
      i += 1;
    }
    return key.padEnd(key.length + (1024 - Buffer.byteLength(key)), "x");
  })
  .filter((k) => !k.startsWith("/") && !k.split("/").some((s) => s === "." || s === ".."));

/** User metadata: names of [a-z0-9-] (sent in mixed case), printable ASCII values without edge spaces. */
export const metadata = fc
  .uniqueArray(
    fc.tuple(
      fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,15}$/),
      fc.stringMatching(/^[!-~]([ -~]{0,30}[!-~])?$/),
    ),
    // Names equal but for case would be one header.
    { maxLength: 4, selector: ([name]) => name.toLowerCase() },
  )
  .map((entries) => Object.fromEntries(entries) as Record<string, string>);

/** Body sizes with the edges weighted in: 0, 1, and small arbitrary sizes. */
export const body = fc.oneof(
  fc.constant(new Uint8Array(0)),
  fc.uint8Array({ minLength: 1, maxLength: 1 }),
  fc.uint8Array({ minLength: 0, maxLength: 4096 }),
);

export function byteCompare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

export interface ListingEntry {
  readonly kind: "key" | "prefix";
  readonly value: string;
}

/** What S3 lists, in order, for a key set, a prefix and an optional delimiter (any string). */
export function modelListing(keys: Iterable<string>, prefix: string, delimiter?: string): ListingEntry[] {
  const sorted = [...new Set(keys)].filter((k) => k.startsWith(prefix)).sort(byteCompare);
  const entries: ListingEntry[] = [];
  for (const key of sorted) {
    const at = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
    if (delimiter && at >= 0) {
      const common = key.slice(0, at + delimiter.length);
      const last = entries.at(-1);
      if (last?.kind !== "prefix" || last.value !== common) entries.push({ kind: "prefix", value: common });
    } else {
      entries.push({ kind: "key", value: key });
    }
  }
  return entries;
}

/** The model's pages: S3 fills each page with exactly max-keys entries, keys and prefixes alike. */
export function modelPages(entries: readonly ListingEntry[], maxKeys: number) {
  const pages: { keys: string[]; prefixes: string[] }[] = [];
  for (let i = 0; i < entries.length; i += maxKeys) {
    const page = entries.slice(i, i + maxKeys);
    pages.push({
      keys: page.filter((e) => e.kind === "key").map((e) => e.value),
      prefixes: page.filter((e) => e.kind === "prefix").map((e) => e.value),
    });
  }
  return pages.length === 0 ? [{ keys: [], prefixes: [] }] : pages;
}

/** Small key sets over a tiny alphabet, so delimiters and shared prefixes collide often. */
export const keySet = fc.uniqueArray(
  fc
    .array(fc.constantFrom("a", "b", "/", "-", "é", " ", "+", "%"), { minLength: 1, maxLength: 6 })
    .map((c) => c.join("")),
  { minLength: 0, maxLength: 10 },
);

export const delimiter = fc.option(fc.constantFrom("/", "-", "a", "ab", "é", " ", "+", "%", "/a", "//"), {
  nil: undefined,
});
