// A bucket's object lock configuration: ObjectLockEnabled on the bucket record (`objectLock`), the default
// retention rule in its attrs. Parsed and validated here, applied to every new version by lock/write.ts.

import { S3Error } from "../http/s3-error.ts";
import { type ParsedXml, parseXml, type XmlNode, xmlText } from "../http/xml.ts";
import type { BucketRecord } from "../storage/index-db.ts";
import type { RetentionMode } from "./state.ts";

/** Bucket attrs key of the default retention rule. */
export const DEFAULT_RETENTION_ATTR = "objectLockDefaultRetention";

export interface DefaultRetention {
  mode: RetentionMode;
  days?: number;
  years?: number;
}

const DAY_MS = 86_400_000;
// Bounds of a default retention period (100 years either way).
const MAX_DAYS = 36_500;
const MAX_YEARS = 100;

const MODES: ReadonlySet<string> = new Set(["GOVERNANCE", "COMPLIANCE"]);

export function isRetentionMode(v: string | undefined): v is RetentionMode {
  return v !== undefined && MODES.has(v);
}

/** The bucket's default retention rule, read defensively (bucket records are JSON from disk). */
export function defaultRetentionOf(b: BucketRecord): DefaultRetention | undefined {
  if (!b.objectLock) return undefined;
  const v = b.attrs[DEFAULT_RETENTION_ATTR] as Partial<DefaultRetention> | undefined;
  if (!v || !isRetentionMode(v.mode)) return undefined;
  if (typeof v.days === "number") return { mode: v.mode, days: v.days };
  if (typeof v.years === "number") return { mode: v.mode, years: v.years };
  return undefined;
}

/** When a version written at `from` (ms) stops being retained by the rule: days of 24 h, calendar years. */
export function retainUntilFor(rule: DefaultRetention, from: number): number {
  if (rule.days !== undefined) return from + rule.days * DAY_MS;
  const d = new Date(from);
  d.setUTCFullYear(d.getUTCFullYear() + (rule.years ?? 0));
  return d.getTime();
}

function child(node: ParsedXml, name: string): ParsedXml | undefined {
  let v = node[name];
  // Rule is parsed as a list (lifecycle documents repeat it); a lock configuration holds at most one.
  if (Array.isArray(v)) {
    if (v.length !== 1) throw new S3Error("MalformedXML");
    v = v[0];
  }
  if (v === undefined) return undefined;
  if (v === "") return {};
  if (typeof v !== "object" || v === null) throw new S3Error("MalformedXML");
  return v as ParsedXml;
}

function period(text: string | undefined, max: number): number | undefined {
  if (text === undefined) return undefined;
  // The schema's type is an integer: anything else does not validate.
  if (!/^[+-]?\d{1,12}$/.test(text)) throw new S3Error("MalformedXML");
  const n = Number(text);
  if (n <= 0) {
    throw new S3Error("InvalidRetentionPeriod", {
      message: "Default retention period must be a positive integer value",
    });
  }
  if (n > max) throw new S3Error("InvalidRetentionPeriod", { message: "Default retention period too large" });
  return n;
}

/**
 * An ObjectLockConfiguration document: ObjectLockEnabled must say Enabled; an optional Rule holds a
 * DefaultRetention with a Mode and exactly one of Days and Years. Returns the rule (undefined: none).
 */
export function parseLockConfiguration(text: string): { rule?: DefaultRetention } {
  const doc = parseXml(text, "ObjectLockConfiguration");
  if (xmlText(doc, "ObjectLockEnabled") !== "Enabled") throw new S3Error("MalformedXML");
  const rule = child(doc, "Rule");
  if (rule === undefined) return {};
  const dr = child(rule, "DefaultRetention");
  if (dr === undefined) throw new S3Error("MalformedXML");
  const mode = xmlText(dr, "Mode");
  if (!isRetentionMode(mode)) throw new S3Error("MalformedXML");
  const daysText = xmlText(dr, "Days");
  const yearsText = xmlText(dr, "Years");
  if ((daysText === undefined) === (yearsText === undefined)) throw new S3Error("MalformedXML");
  const days = period(daysText, MAX_DAYS);
  const years = period(yearsText, MAX_YEARS);
  return { rule: days !== undefined ? { mode, days } : { mode, years } };
}

/** The GetObjectLockConfiguration document of a lock-enabled bucket. */
export function lockConfigurationXml(b: BucketRecord): XmlNode {
  const rule = defaultRetentionOf(b);
  return {
    ObjectLockEnabled: "Enabled",
    Rule: rule ? { DefaultRetention: { Mode: rule.mode, Days: rule.days, Years: rule.years } } : undefined,
  };
}
