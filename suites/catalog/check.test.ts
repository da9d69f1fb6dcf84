import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { CATALOG } from "./catalog.ts";
import { checkName, checkWith, parseCheckName } from "./check.ts";

const pairs = CATALOG.flatMap((e) => e.checks.map((check) => ({ operation: e.operation, check })));
const noop = async () => {};

// A recorder instead of vitest's `test`: defining real checks here would report catalog results.
function recorder() {
  const defined: { name: string; options: Record<string, unknown> }[] = [];
  const check = checkWith((name, options) => {
    defined.push({ name, options: options as Record<string, unknown> });
  });
  return { defined, check };
}

describe("check names", () => {
  test("encode", () => {
    expect(checkName("PutObject", "put-object.roundtrip")).toBe("[PutObject] put-object.roundtrip");
    expect(checkName("PutObject", "put-object.roundtrip", "minio")).toBe(
      "[PutObject] put-object.roundtrip (minio)",
    );
  });

  test("parse(encode(x)) = x for every catalog check, with and without a variant", () => {
    const variant = fc.option(
      fc.string({ minLength: 1, maxLength: 20 }).filter((v) => /^[^()\n>[\]]+$/.test(v)),
      { nil: undefined },
    );
    fc.assert(
      fc.property(fc.constantFrom(...pairs), variant, ({ operation, check }, v) => {
        const parsed = parseCheckName(checkName(operation, check, v));
        expect(parsed).toEqual(v === undefined ? { operation, check } : { operation, check, variant: v });
      }),
    );
  });

  test("parse accepts a full describe path and rejects other names", () => {
    expect(parseCheckName("objects > put > [PutObject] put-object.roundtrip (minio)")).toEqual({
      operation: "PutObject",
      check: "put-object.roundtrip",
      variant: "minio",
    });
    expect(parseCheckName("runs on Node >= 22.12")).toBeUndefined();
    expect(parseCheckName("[PutObject] put-object.roundtrip trailing")).toBeUndefined();
    expect(parseCheckName("x[PutObject] put-object.roundtrip")).toBeUndefined();
  });

  test("a variant that would break parsing is refused", () => {
    expect(() => checkName("PutObject", "put-object.roundtrip", "a (b)")).toThrow(/variant/);
    expect(() => checkName("PutObject", "put-object.roundtrip", "a > b")).toThrow(/variant/);
  });
});

describe("check()", () => {
  test("defines one test named for the catalog, with the reference in its meta", () => {
    const { defined, check } = recorder();
    check("ListObjectsV2", "list-objects-v2.continuation-token", noop, { timeout: 5000, variant: "minio" });
    expect(defined).toEqual([
      {
        name: "[ListObjectsV2] list-objects-v2.continuation-token (minio)",
        options: {
          timeout: 5000,
          meta: {
            s3Check: {
              operation: "ListObjectsV2",
              check: "list-objects-v2.continuation-token",
              variant: "minio",
            },
          },
        },
      },
    ]);
  });

  test("refuses, at definition time, what the catalog does not have", () => {
    const { defined, check } = recorder();
    // Literal types stop these at compile time; the run-time guard covers computed or cast ids.
    // @ts-expect-error not a catalog operation
    expect(() => check("PostObject", "post-object.upload", noop)).toThrow(/not an operation of the catalog/);
    // @ts-expect-error not a check of PutObject
    expect(() => check("PutObject", "put-object.teleports", noop)).toThrow(/not a check id/);
    // @ts-expect-error another operation's check
    expect(() => check("PutObject", "get-object.roundtrip", noop)).toThrow(/belongs to GetObject/);
    expect(defined).toEqual([]);
  });
});
