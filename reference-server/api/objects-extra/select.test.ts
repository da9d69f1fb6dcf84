// SelectObjectContent through the HTTP path with @aws-sdk/client-s3's event-stream parser: CSV (header
// modes, delimiters, quotes), JSON (DOCUMENT, LINES), GZIP, WHERE/LIKE/IS NULL/CAST, aggregates, LIMIT,
// CSV and JSON output, Progress/Stats/End events, HTTP errors for bad SQL, and errors as stream events.

import { gzipSync } from "node:zlib";
import {
  CreateBucketCommand,
  PutObjectCommand,
  SelectObjectContentCommand,
  type SelectObjectContentCommandInput,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { bucketName, errorOf, startTestServer, type TestServer } from "../test-support.ts";

let t: TestServer;
let b: string;
const CSV = 'name,age,city\nalice,30,Paris\nbob,25,"Lyon, FR"\ncarol,41,Nice\ndan,,Paris\n';
beforeAll(async () => {
  t = await startTestServer();
  b = bucketName("sel");
  await t.s3.send(new CreateBucketCommand({ Bucket: b }));
  const put = (Key: string, Body: string | Buffer) =>
    t.s3.send(new PutObjectCommand({ Bucket: b, Key, Body }));
  await put("people.csv", CSV);
  await put("people.csv.gz", gzipSync(CSV));
  await put("semi.csv", "a;b\n1;'x;y'\n2;z\n");
  await put(
    "people.jsonl",
    '{"name":"alice","age":30,"tags":["a"]}\n{"name":"bob","age":25}\n{"name":"carol","age":41,"x":null}\n',
  );
  await put("doc.json", '{"items":[{"id":1,"v":"one"},{"id":2,"v":"two"},{"id":3,"v":"three"}]}');
  await put("bad.jsonl", '{"ok":1}\n{not json}\n');
  let big = "n,sq\n";
  for (let i = 0; i < 20_000; i++) big += `${i},${i * i}\n`;
  await put("big.csv", big);
});
afterAll(() => t.stop());

interface Result {
  records: string;
  stats?: { BytesScanned?: number; BytesProcessed?: number; BytesReturned?: number };
  progress: number;
  end: boolean;
}

async function select(
  input: Partial<SelectObjectContentCommandInput> & { Key: string; Expression: string },
): Promise<Result> {
  const out = await t.s3.send(
    new SelectObjectContentCommand({
      Bucket: b,
      ExpressionType: "SQL",
      InputSerialization: { CSV: { FileHeaderInfo: "USE" } },
      OutputSerialization: { CSV: {} },
      ...input,
    }),
  );
  const res: Result = { records: "", progress: 0, end: false };
  for await (const ev of out.Payload!) {
    if (ev.Records?.Payload) res.records += Buffer.from(ev.Records.Payload).toString("utf8");
    if (ev.Stats) res.stats = ev.Stats.Details;
    if (ev.Progress) res.progress++;
    if (ev.End) res.end = true;
  }
  return res;
}

describe("SelectObjectContent over CSV", () => {
  test("SELECT * with a header; stats and end events", async () => {
    const r = await select({ Key: "people.csv", Expression: "SELECT * FROM S3Object" });
    expect(r.records).toBe('alice,30,Paris\nbob,25,"Lyon, FR"\ncarol,41,Nice\ndan,,Paris\n');
    expect(r.end).toBe(true);
    expect(r.stats).toEqual({
      BytesScanned: CSV.length,
      BytesProcessed: CSV.length,
      BytesReturned: r.records.length,
    });
  });

  test("columns by name and position, aliases, WHERE forms, CAST, LIMIT", async () => {
    const q = async (Expression: string, extra: Partial<SelectObjectContentCommandInput> = {}) =>
      (await select({ Key: "people.csv", Expression, ...extra })).records;
    expect(await q("SELECT s.name, s.city FROM S3Object s WHERE s.city = 'Paris'")).toBe(
      "alice,Paris\ndan,Paris\n",
    );
    expect(
      await q("SELECT name FROM S3Object WHERE age <> '' AND CAST(age AS INT) >= 30 AND NOT city = 'Nice'"),
    ).toBe("alice\n");
    expect(await q("SELECT s._1 FROM S3Object s WHERE s.age IS NULL OR s.age = ''")).toBe("dan\n");
    expect(
      await q("SELECT name FROM S3Object WHERE name LIKE '%o%' AND (age <> '25' OR city LIKE 'L_on%')"),
    ).toBe("bob\ncarol\n");
    expect(
      await q("SELECT name FROM S3Object WHERE name IN ('dan') OR CAST(age AS INT) BETWEEN 26 AND 40"),
    ).toBe("alice\ndan\n");
    expect(await q("SELECT name FROM S3Object LIMIT 2")).toBe("alice\nbob\n");
    expect(await q("SELECT name FROM S3Object WHERE age != '30' LIMIT 0")).toBe("");
    expect(
      await q("SELECT name AS who, CAST(age AS INT) + 1 AS next FROM S3Object s WHERE s.age > 26", {
        OutputSerialization: { JSON: {} },
      }),
    ).toBe('{"who":"alice","next":31}\n{"who":"carol","next":42}\n');
    // IGNORE skips the header; columns are positional.
    expect(
      await q("SELECT s._1, s._3 FROM S3Object s WHERE s._2 = '41'", {
        InputSerialization: { CSV: { FileHeaderInfo: "IGNORE" } },
      }),
    ).toBe("carol,Nice\n");
    // NONE: the header line is a record.
    expect(
      await q("SELECT * FROM S3Object LIMIT 1", {
        InputSerialization: { CSV: { FileHeaderInfo: "NONE" } },
        OutputSerialization: { JSON: {} },
      }),
    ).toBe('{"_1":"name","_2":"age","_3":"city"}\n');
  });

  test("aggregates, GZIP input, custom delimiters and quotes, output quoting", async () => {
    const agg = await select({
      Key: "people.csv.gz",
      Expression:
        "SELECT COUNT(*), SUM(CAST(age AS INT)), MIN(name), MAX(CAST(age AS INT)) FROM S3Object WHERE age <> ''",
      InputSerialization: { CSV: { FileHeaderInfo: "USE" }, CompressionType: "GZIP" },
    });
    expect(agg.records).toBe("3,96,alice,41\n");
    expect(agg.stats?.BytesScanned).toBe(gzipSync(CSV).length);
    expect(agg.stats?.BytesProcessed).toBe(CSV.length);
    const semi = await select({
      Key: "semi.csv",
      Expression: "SELECT * FROM S3Object",
      InputSerialization: { CSV: { FileHeaderInfo: "USE", FieldDelimiter: ";", QuoteCharacter: "'" } },
      OutputSerialization: { CSV: { FieldDelimiter: "\t", QuoteFields: "ALWAYS", RecordDelimiter: "\r\n" } },
    });
    expect(semi.records).toBe('"1"\t"x;y"\r\n"2"\t"z"\r\n');
  });

  test("a large object streams in several Records events, with Progress when asked", async () => {
    const r = await select({
      Key: "big.csv",
      Expression: "SELECT sq FROM S3Object WHERE CAST(n AS INT) % 2 = 0",
      RequestProgress: { Enabled: true },
    });
    expect(r.records.split("\n").length - 1).toBe(10_000);
    expect(r.records.startsWith("0\n4\n16\n")).toBe(true);
    expect(r.progress).toBeGreaterThanOrEqual(2);
    const limited = await select({ Key: "big.csv", Expression: "SELECT n FROM S3Object LIMIT 3" });
    expect(limited.records).toBe("0\n1\n2\n");
    expect(limited.stats!.BytesScanned!).toBeLessThan(300_000);
  });
});

describe("SelectObjectContent over JSON", () => {
  test("LINES and DOCUMENT with a FROM path", async () => {
    const lines = await select({
      Key: "people.jsonl",
      Expression: "SELECT s.name, s.age FROM S3Object s WHERE s.age > 26",
      InputSerialization: { JSON: { Type: "LINES" } },
      OutputSerialization: { JSON: {} },
    });
    expect(lines.records).toBe('{"name":"alice","age":30}\n{"name":"carol","age":41}\n');
    const missing = await select({
      Key: "people.jsonl",
      Expression: "SELECT s.name FROM S3Object s WHERE s.tags IS MISSING AND s.x IS NOT MISSING",
      InputSerialization: { JSON: { Type: "LINES" } },
      OutputSerialization: { CSV: {} },
    });
    expect(missing.records).toBe("carol\n");
    const doc = await select({
      Key: "doc.json",
      Expression: "SELECT d.v FROM S3Object[*].items[*] d WHERE d.id >= 2",
      InputSerialization: { JSON: { Type: "DOCUMENT" } },
      OutputSerialization: { JSON: { RecordDelimiter: "," } },
    });
    expect(doc.records).toBe('{"v":"two"},{"v":"three"},');
    const count = await select({
      Key: "doc.json",
      Expression: "SELECT COUNT(*) AS n FROM S3Object[*].items[*]",
      InputSerialization: { JSON: { Type: "DOCUMENT" } },
      OutputSerialization: { JSON: {} },
    });
    expect(count.records).toBe('{"n":3}\n');
  });
});

describe("SelectObjectContent errors", () => {
  test("bad SQL and bad requests are HTTP 400s with AWS's codes", async () => {
    for (const [Expression, code] of [
      ["SELEC * FROM S3Object", "ParseUnexpectedToken"],
      ["SELECT * FROM S3Object WHERE", "ParseExpectedExpression"],
      ["SELECT * FROM table", "ParseUnexpectedToken"],
      ["SELECT name, COUNT(*) FROM S3Object", "ParseUnsupportedSyntax"],
    ] as const) {
      const e = await errorOf(select({ Key: "people.csv", Expression }));
      expect(e.name).toBe(code);
      expect(e.$metadata.httpStatusCode).toBe(400);
    }
    const expr = await errorOf(
      select({ Key: "people.csv", Expression: "SELECT 1", ExpressionType: "XQUERY" as never }),
    );
    expect(expr.name).toBe("InvalidExpressionType");
    const none = await errorOf(select({ Key: "nope.csv", Expression: "SELECT * FROM S3Object" }));
    expect(none.name).toBe("NoSuchKey");
  });

  test("an error met while scanning arrives as an error event", async () => {
    const thrown = (p: Promise<unknown>) =>
      p.then(
        () => {
          throw new Error("expected an error event");
        },
        (e: Error) => e,
      );
    const e = await thrown(
      select({
        Key: "bad.jsonl",
        Expression: "SELECT * FROM S3Object",
        InputSerialization: { JSON: { Type: "LINES" } },
        OutputSerialization: { JSON: {} },
      }),
    );
    expect(e.name).toBe("JSONParsingError");
    const cast = await thrown(
      select({ Key: "people.csv", Expression: "SELECT CAST(name AS INT) FROM S3Object" }),
    );
    expect(cast.name).toBe("CastFailed");
  });
});
