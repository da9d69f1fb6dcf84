// Server access log records in AWS's documented format: space-separated fields, "-" for none, the
// request line, referer and user agent in double quotes, the time in brackets.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/LogFormat.html

import type { AccessRecord } from "./record.ts";

/** The fields of a record, in AWS's order. */
export const FIELDS = [
  "bucketOwner",
  "bucket",
  "time",
  "remoteIp",
  "requester",
  "requestId",
  "operation",
  "key",
  "requestUri",
  "httpStatus",
  "errorCode",
  "bytesSent",
  "objectSize",
  "totalTime",
  "turnAroundTime",
  "referer",
  "userAgent",
  "versionId",
  "hostId",
  "signatureVersion",
  "cipherSuite",
  "authenticationType",
  "hostHeader",
  "tlsVersion",
  "accessPointArn",
  "aclRequired",
] as const;
export type LogField = (typeof FIELDS)[number];

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** `[06/Feb/2019:00:00:38 +0000]` */
export function logTime(ms: number): string {
  const d = new Date(ms);
  return (
    `[${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000]`
  );
}

/** An unquoted field: "-" when empty; no spaces or controls (they would split the record). */
function bare(v: string | number | undefined): string {
  if (v === undefined || v === "") return "-";
  return String(v).replace(
    /[\s\x00-\x1f\x7f"]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`,
  );
}

/** A quoted field: `"-"` when empty; quotes and backslashes escaped, controls as \xNN. */
function quoted(v: string | undefined): string {
  if (v === undefined || v === "") return '"-"';
  const s = v.replace(/[\\"\x00-\x1f\x7f]/g, (c) =>
    c === "\\" || c === '"' ? `\\${c}` : `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`,
  );
  return `"${s}"`;
}

/** Keys as AWS logs them: percent-encoded UTF-8, "/" kept. */
export function encodeKey(key: string): string {
  return encodeURIComponent(key).replace(/%2F/g, "/");
}

/** One record as a line (without the newline), for the log of `bucket` owned by `owner`. */
export function formatAwsRecord(
  rec: AccessRecord,
  view: { bucket: string; owner: string; key?: string; operation?: string },
): string {
  const key = view.key ?? rec.key;
  return [
    bare(view.owner),
    bare(view.bucket),
    logTime(rec.time),
    bare(rec.remoteIp),
    bare(rec.requester),
    bare(rec.requestId),
    bare(view.operation ?? rec.operation),
    key === undefined ? "-" : bare(encodeKey(key)),
    quoted(`${rec.method} ${rec.uri} HTTP/${rec.httpVersion}`),
    bare(rec.status),
    bare(rec.errorCode),
    rec.bytesSent > 0 ? String(rec.bytesSent) : "-",
    bare(rec.objectSize),
    bare(rec.totalMs),
    bare(rec.turnaroundMs),
    quoted(rec.referer),
    quoted(rec.userAgent),
    bare(rec.versionId),
    bare(rec.hostId),
    bare(rec.signatureVersion),
    bare(rec.cipher),
    bare(rec.authType),
    bare(rec.host),
    bare(rec.tlsVersion),
    "-", // access point ARN: no access points here
    "-", // aclRequired: no request here is authorized by an ACL alone
  ].join(" ");
}

/**
 * A line back into its fields ("-" stays "-"; quoted fields unescaped, brackets kept on the time).
 * Throws on a line that does not have AWS's field count.
 */
export function parseAwsRecord(line: string): Record<LogField, string> {
  const fields: string[] = [];
  let i = 0;
  while (i < line.length) {
    if (line[i] === " ") {
      i++;
      continue;
    }
    if (line[i] === '"') {
      let s = "";
      i++;
      while (i < line.length && line[i] !== '"') {
        if (line[i] === "\\" && line[i + 1] === "x") {
          s += String.fromCharCode(Number.parseInt(line.slice(i + 2, i + 4), 16));
          i += 4;
        } else if (line[i] === "\\") {
          s += line[i + 1];
          i += 2;
        } else {
          s += line[i++];
        }
      }
      i++;
      fields.push(s);
    } else if (line[i] === "[") {
      const close = line.indexOf("]", i);
      fields.push(line.slice(i, close + 1));
      i = close + 1;
    } else {
      const sp = line.indexOf(" ", i);
      const end = sp < 0 ? line.length : sp;
      fields.push(line.slice(i, end));
      i = end;
    }
  }
  if (fields.length !== FIELDS.length) {
    throw new Error(`a log record has ${FIELDS.length} fields, this one ${fields.length}: ${line}`);
  }
  return Object.fromEntries(FIELDS.map((f, n) => [f, fields[n]])) as Record<LogField, string>;
}
