// GetObjectTorrent: a BitTorrent metainfo file (bencoded) for an object, computed from its bytes as they
// stream: SHA-1 of each 256 KiB piece, with the object's URL as a web seed (BEP 19). AWS serves
// torrents for objects up to 5 GB and not for SSE-C objects (the pieces would need the customer key).

import { createHash } from "node:crypto";
import { header, type S3Request, versionIdParam } from "../../http/context.ts";
import { S3Error } from "../../http/s3-error.ts";
import { assertReadable } from "../../restore/state.ts";

const PIECE = 256 * 1024;
const MAX_TORRENT_OBJECT = 5 * 1000 ** 3;

type Bencodable = number | string | Buffer | Bencodable[] | { [k: string]: Bencodable };

export function bencode(v: Bencodable): Buffer {
  if (typeof v === "number") return Buffer.from(`i${Math.trunc(v)}e`);
  if (typeof v === "string" || Buffer.isBuffer(v)) {
    const b = typeof v === "string" ? Buffer.from(v, "utf8") : v;
    return Buffer.concat([Buffer.from(`${b.length}:`), b]);
  }
  if (Array.isArray(v)) return Buffer.concat([Buffer.from("l"), ...v.map(bencode), Buffer.from("e")]);
  // Dictionary keys sorted as raw byte strings.
  const keys = Object.keys(v).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return Buffer.concat([
    Buffer.from("d"),
    ...keys.flatMap((k) => [bencode(k), bencode(v[k])]),
    Buffer.from("e"),
  ]);
}

export async function getObjectTorrent(r: S3Request): Promise<void> {
  const versionId = versionIdParam(r);
  const rec = r.engine.headObject({ bucket: r.bucket!, key: r.key!, versionId });
  if (rec.encryption?.scheme === "SSE-C") {
    throw new S3Error("InvalidRequest", {
      message: "Torrents are not available for objects encrypted with SSE-C.",
    });
  }
  if (rec.size > MAX_TORRENT_OBJECT) {
    throw new S3Error("InvalidRequest", {
      message: "Torrents are available only for objects of at most 5 GB.",
    });
  }
  assertReadable(rec, r.config.now());
  const got = await r.engine.getObject({ bucket: r.bucket!, key: r.key!, versionId: rec.versionId });
  const pieces: Buffer[] = [];
  let hash = createHash("sha1");
  let filled = 0;
  try {
    for await (const chunk of got.body) {
      let off = 0;
      while (off < chunk.length) {
        const n = Math.min(PIECE - filled, chunk.length - off);
        hash.update(chunk.subarray(off, off + n));
        filled += n;
        off += n;
        if (filled === PIECE) {
          pieces.push(hash.digest());
          hash = createHash("sha1");
          filled = 0;
        }
      }
    }
  } finally {
    await got.close();
  }
  if (filled > 0 || pieces.length === 0) pieces.push(hash.digest());
  const name = r.key!.split("/").pop() || r.key!;
  const proto = r.secureTransport ? "https" : "http";
  const host = header(r, "host") ?? "localhost";
  const path = `/${r.bucket}/${r.key!.split("/").map(encodeURIComponent).join("/")}`;
  const meta = bencode({
    info: {
      length: rec.size,
      name,
      "piece length": PIECE,
      pieces: Buffer.concat(pieces),
      "x-amz-bucket": r.bucket!,
      "x-amz-key": r.key!,
    },
    "url-list": [`${proto}://${host}${path}`],
  });
  r.res.writeHead(200, {
    "content-type": "application/x-bittorrent",
    "content-disposition": `attachment; filename="${name.replace(/["\\\r\n]/g, "_")}.torrent"`,
    "content-length": String(meta.length),
  });
  r.res.end(meta);
}
