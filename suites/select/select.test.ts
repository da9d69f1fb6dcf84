// S3 Select as a black box through the SDK's event-stream parser: SQL over CSV and JSON objects, the
// event sequence (Records, Stats, End) with consistent byte counts, and malformed SQL refused with 400.

import {
  CreateBucketCommand,
  PutObjectCommand,
  SelectObjectContentCommand,
  type SelectObjectContentCommandInput,
} from "@aws-sdk/client-s3";
import { expect } from "vitest";
import { check } from "../catalog/check.ts";
import { expectS3Error } from "../harness/assert.ts";
import { suite, useFixture } from "../harness/suite.ts";

const fx = useFixture();
const CSV = "name,age,city\nalice,30,Paris\nbob,25,Lyon\ncarol,41,Nice\n";
const LINES = '{"name":"alice","age":30}\n{"name":"bob","age":25}\n{"name":"carol","age":41}\n';

suite("select", () => {
  const f = fx!;
  async function bucketWith(objects: Record<string, string>): Promise<string> {
    const Bucket = f.bucketName("sel");
    await f.s3.send(new CreateBucketCommand({ Bucket }));
    for (const [Key, Body] of Object.entries(objects))
      await f.s3.send(new PutObjectCommand({ Bucket, Key, Body }));
    return Bucket;
  }
  async function select(input: SelectObjectContentCommandInput) {
    const out = await f.s3.send(new SelectObjectContentCommand(input));
    const events: string[] = [];
    let records = "";
    let stats: { BytesScanned?: number; BytesProcessed?: number; BytesReturned?: number } | undefined;
    for await (const ev of out.Payload!) {
      const kind =
        Object.keys(ev).find((k) => (ev as unknown as Record<string, unknown>)[k] !== undefined) ?? "?";
      events.push(kind);
      if (ev.Records?.Payload) records += Buffer.from(ev.Records.Payload).toString("utf8");
      if (ev.Stats) stats = ev.Stats.Details;
    }
    return { status: out.$metadata.httpStatusCode, events, records, stats };
  }
  const csvInput = (Bucket: string, Expression: string): SelectObjectContentCommandInput => ({
    Bucket,
    Key: "people.csv",
    Expression,
    ExpressionType: "SQL",
    InputSerialization: { CSV: { FileHeaderInfo: "USE" }, CompressionType: "NONE" },
    OutputSerialization: { CSV: {} },
  });

  check("SelectObjectContent", "select-object-content.csv-query", async () => {
    const bucket = await bucketWith({ "people.csv": CSV });
    const r = await select(
      csvInput(bucket, "SELECT s.name, s.city FROM S3Object s WHERE CAST(s.age AS INT) > 26"),
    );
    expect(r.records).toBe("alice,Paris\ncarol,Nice\n");
    const count = await select(csvInput(bucket, "SELECT COUNT(*) FROM S3Object s WHERE s.city LIKE '%i%'"));
    expect(count.records).toBe("2\n");
    const limited = await select(csvInput(bucket, "SELECT s._1 FROM S3Object s LIMIT 1"));
    expect(limited.records).toBe("alice\n");
  });

  check("SelectObjectContent", "select-object-content.json-query", async () => {
    const bucket = await bucketWith({ "people.jsonl": LINES });
    const r = await select({
      Bucket: bucket,
      Key: "people.jsonl",
      Expression: "SELECT s.name FROM S3Object s WHERE s.age < 35",
      ExpressionType: "SQL",
      InputSerialization: { JSON: { Type: "LINES" } },
      OutputSerialization: { JSON: {} },
    });
    expect(r.records).toBe('{"name":"alice"}\n{"name":"bob"}\n');
  });

  check("SelectObjectContent", "select-object-content.event-stream-framing", async () => {
    const bucket = await bucketWith({ "people.csv": CSV });
    const r = await select(csvInput(bucket, "SELECT * FROM S3Object"));
    expect(r.status).toBe(200);
    // Records first, then Stats, then End, nothing after.
    expect(r.events.at(-1)).toBe("End");
    expect(r.events.at(-2)).toBe("Stats");
    expect(r.events.slice(0, -2).every((e) => e === "Records" || e === "Progress" || e === "Cont")).toBe(
      true,
    );
    expect(r.records).toBe("alice,30,Paris\nbob,25,Lyon\ncarol,41,Nice\n");
    expect(r.stats).toEqual({
      BytesScanned: CSV.length,
      BytesProcessed: CSV.length,
      BytesReturned: r.records.length,
    });
  });

  check("SelectObjectContent", "select-object-content.malformed-sql-refused", async () => {
    const bucket = await bucketWith({ "people.csv": CSV });
    const seen = await expectS3Error(select(csvInput(bucket, "SELEKT * FROM S3Object")), 400);
    expect(seen.code).toMatch(/^Parse/);
    const where = await expectS3Error(select(csvInput(bucket, "SELECT * FROM S3Object WHERE")), 400);
    expect(where.code).toMatch(/^Parse/);
  });
});
