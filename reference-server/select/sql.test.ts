// The S3 Select parser and readers under fuzzing: any text either parses or fails with a SelectError (never
// another exception, never a hang), and the CSV reader round-trips fields whatever the chunking.

import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { isSelectError } from "./errors.ts";
import { evaluate } from "./eval.ts";
import { CsvReader, JsonDocumentReader } from "./input.ts";
import { formatRecord } from "./run.ts";
import { parseQuery } from "./sql.ts";

const TOKENS = [
  "SELECT",
  "FROM",
  "WHERE",
  "LIMIT",
  "S3Object",
  "s",
  "*",
  ",",
  "(",
  ")",
  "AND",
  "OR",
  "NOT",
  "=",
  "<>",
  "!=",
  "<",
  ">=",
  "LIKE",
  "IS",
  "NULL",
  "MISSING",
  "CAST",
  "AS",
  "INT",
  "COUNT",
  "SUM",
  "'x'",
  "'",
  '"',
  "1",
  "2.5",
  "s._1",
  ".",
  "[*]",
  "[",
  "]",
  "BETWEEN",
  "IN",
  "-",
  "+",
  "||",
  "%",
  "ESCAPE",
];

function parsesOrSelectError(sql: string): void {
  try {
    parseQuery(sql);
  } catch (e) {
    if (!isSelectError(e)) throw e;
    expect(e.code).toMatch(/^(Parse|ExpressionTooLong)/);
  }
}

describe("SQL parser fuzz", () => {
  test("arbitrary strings never crash the parser", () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), parsesOrSelectError), { numRuns: 2000 });
  });
  test("token soup never crashes the parser", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 40 }), (toks) =>
        parsesOrSelectError(toks.join(" ")),
      ),
      { numRuns: 3000 },
    );
  });
  test("prefixes of valid queries are refused cleanly; deep nesting is bounded", () => {
    const q =
      "SELECT s.name, CAST(s.age AS INT) AS a FROM S3Object s WHERE (s.a = 'x' OR NOT s.b LIKE '%y') LIMIT 3";
    for (let i = 0; i <= q.length; i++) parsesOrSelectError(q.slice(0, i));
    parsesOrSelectError(`SELECT * FROM S3Object WHERE ${"(".repeat(5000)}1${")".repeat(5000)}`);
    parsesOrSelectError(`SELECT * FROM S3Object WHERE ${"NOT ".repeat(5000)}TRUE`);
    parsesOrSelectError(`SELECT * FROM S3Object WHERE ${"-".repeat(5000)}1`);
  });
  test("valid queries evaluate without throwing anything but SelectError", () => {
    const row = { kind: "csv" as const, fields: ["a", "1", ""], names: ["x", "y", "z"] };
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 30 }), (toks) => {
        let q: ReturnType<typeof parseQuery>;
        try {
          q = parseQuery(`SELECT * FROM S3Object s WHERE ${toks.join(" ")}`);
        } catch {
          return;
        }
        try {
          if (q.where) evaluate(q.where, row, { alias: q.alias });
        } catch (e) {
          if (!isSelectError(e)) throw e;
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe("CSV reader", () => {
  test("fields survive quoting and any chunking", () => {
    const field = fc.string({ maxLength: 8 });
    fc.assert(
      fc.property(
        fc.array(fc.array(field, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 7 }),
        (records, chunk) => {
          // A record of one empty field prints as an empty line: quote it always.
          const text = records
            .map((r) =>
              formatRecord(
                r.map((f, i) => [`_${i}`, f] as const),
                {
                  format: "CSV",
                  quoteFields: "ALWAYS",
                  fieldDelimiter: ",",
                  recordDelimiter: "\n",
                  quote: '"',
                  escape: '"',
                },
              ),
            )
            .join("");
          const reader = new CsvReader({
            fieldDelimiter: ",",
            recordDelimiter: "\n",
            quote: '"',
            escape: '"',
          });
          const got: string[][] = [];
          for (let i = 0; i < text.length; i += chunk) got.push(...reader.feed(text.slice(i, i + chunk)));
          got.push(...reader.end());
          expect(got).toEqual(records.map((r) => r.map((f) => (f.endsWith("\r") ? f : f))));
        },
      ),
      { numRuns: 500 },
    );
  });
  test("JSON documents split across chunks parse whole; garbage is JSONParsingError", () => {
    const docs = [{ a: 1, b: '}{"' }, [1, { c: [2] }], { d: null }];
    const text = docs.map((d) => JSON.stringify(d)).join("\n ");
    for (let chunk = 1; chunk < 9; chunk++) {
      const r = new JsonDocumentReader();
      const got: unknown[] = [];
      for (let i = 0; i < text.length; i += chunk) got.push(...r.feed(text.slice(i, i + chunk)));
      got.push(...r.end());
      expect(got).toEqual(docs);
    }
    expect(() => new JsonDocumentReader().feed("nope")).toThrow(/JSON/);
  });
});
