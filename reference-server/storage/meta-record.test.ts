import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, test } from "vitest";
import type { StorageEngine } from "./engine.ts";
import {
  decodeMetaRecord,
  inlineIfRecordIs,
  metaJsonTemplate,
  metaJsonTemplateOf,
  metaRecordEncoder,
  type ObjectVersionRecord,
} from "./meta-record.ts";
import { metaFile } from "./paths.ts";
import { chunks, openTestEngine, readObject } from "./test/helpers.ts";

const record: ObjectVersionRecord = {
  format: 1,
  bucket: "b",
  key: 'k "index":3 ü',
  versionId: "null",
  writeId: "w1",
  modTime: 1,
  size: 10,
  etag: "e",
  headers: { "content-type": "text/plain" },
  userMeta: { index: '"index":7' },
  storageClass: "STANDARD",
  multipart: false,
  parts: [{ number: 1, size: 10, cipherSize: 26, etag: "e", dataFile: "part.1" }],
  erasure: {
    algorithm: "reed-solomon-vandermonde-gf256",
    dataShards: 12,
    parityShards: 4,
    blockSize: 1 << 20,
    checksum: "crc32",
    distribution: { az1: ["d1", "d2"] },
    index: -1,
  },
  inline: true,
  attrs: { index: 5, tags: [{ Key: "index", Value: "1" }] },
};

describe("inlineIfRecordIs: a read record checked against the expected bytes without parsing", () => {
  // The template comes from the index copy, which went through the database as JSON text.
  const template = metaJsonTemplate(JSON.parse(JSON.stringify(record)) as ObjectVersionRecord)!;
  const encode = metaRecordEncoder(record);

  test("the record written for shard i is recognised for i and only for i", () => {
    for (const i of [0, 9, 10, 15]) {
      const inline = randomBytes(40);
      const buf = encode(i, inline);
      expect(inlineIfRecordIs(buf, template, i)?.equals(inline)).toBe(true);
      expect(inlineIfRecordIs(buf, template, i === 0 ? 1 : i - 1)).toBeNull();
      expect(decodeMetaRecord(buf).record.erasure?.index).toBe(i);
    }
  });

  test("any other document (another write, other attributes) is left to the full decode", () => {
    const other = metaRecordEncoder({ ...record, writeId: "w2" })(3, Buffer.alloc(4));
    expect(inlineIfRecordIs(other, template, 3)).toBeNull();
    const tagged = metaRecordEncoder({ ...record, attrs: { index: 6 } })(3, Buffer.alloc(4));
    expect(inlineIfRecordIs(tagged, template, 3)).toBeNull();
  });

  test("damage throws FileCorrupt as the full decode does", () => {
    const buf = encode(2, Buffer.alloc(8, 1));
    buf[20] ^= 0xff;
    expect(() => inlineIfRecordIs(buf, template, 2, "d9")).toThrow(/checksum mismatch/);
    expect(() => inlineIfRecordIs(buf.subarray(0, 10), template, 2)).toThrow(/bad magic/);
  });

  test("`checked` (bytes whose record-log CRC was verified) skips only the record's own checksum", () => {
    const inline = Buffer.alloc(8, 1);
    const buf = encode(2, inline);
    buf[buf.length - 1] ^= 0xff; // the record's checksum itself
    expect(() => inlineIfRecordIs(buf, template, 2)).toThrow(/checksum mismatch/);
    expect(inlineIfRecordIs(buf, template, 2, "d9", true)?.equals(inline)).toBe(true);
    expect(() => inlineIfRecordIs(buf.subarray(0, 10), template, 2, "d9", true)).toThrow(/bad magic/);
  });
});

describe("metaJsonTemplateOf: remembered for frozen records only", () => {
  test("a frozen record's template is built once; a mutable record's follows its changes", () => {
    const frozen = Object.freeze(JSON.parse(JSON.stringify(record)) as ObjectVersionRecord);
    const t = metaJsonTemplateOf(frozen);
    expect(metaJsonTemplateOf(frozen)).toBe(t);
    expect(t).toEqual(metaJsonTemplate(frozen));

    const mutable = JSON.parse(JSON.stringify(record)) as ObjectVersionRecord;
    const before = metaJsonTemplateOf(mutable)!;
    mutable.modTime = 2;
    const after = metaJsonTemplateOf(mutable)!;
    expect(after.head.equals(before.head)).toBe(false);
    expect(after).toEqual(metaJsonTemplate(mutable));
  });
});

describe("the engine's records match the index copy byte for byte", () => {
  let engine: StorageEngine | undefined;
  afterEach(async () => {
    await engine?.close();
  });

  test("every disk's record of an inline object is recognised from the index record, also after a tag update", async () => {
    ({ engine } = await openTestEngine());
    await engine.createBucket({ name: "b", owner: "o" });
    const data = randomBytes(3000);
    await engine.putObject({
      bucket: "b",
      key: "small",
      body: chunks(data),
      userMeta: { note: "é" },
      headers: { "content-type": "text/plain" },
    });
    const check = async () => {
      const rec = engine!.headObject({ bucket: "b", key: "small" });
      const template = metaJsonTemplate(rec)!;
      let disks = 0;
      for (const ids of Object.values(rec.erasure!.distribution)) {
        for (const [i, id] of ids.entries()) {
          const disk = engine!.ctx.disks.get(id)!;
          const buf = disk.readRecordSync(metaFile("b", "small", rec.writeId))!;
          expect(inlineIfRecordIs(buf, template, i, id), id).not.toBeNull();
          disks++;
        }
      }
      expect(disks).toBe(48);
      expect((await readObject(engine!, "b", "small")).equals(data)).toBe(true);
    };
    await check();
    await engine.updateVersion("b", "small", undefined, (r) => ({
      ...r,
      attrs: { ...r.attrs, tagging: [{ Key: "t", Value: "v" }] },
    }));
    await check();
  });
});
