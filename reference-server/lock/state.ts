// Object-lock state of one version, as stored in its metadata record's attrs. Every path that removes or
// replaces a version (DeleteObject, DeleteObjects, lifecycle expiry, overwrite of a null version) asks
// lockBlocksDelete first, so the rule lives in one place.

import type { ObjectVersionRecord } from "../storage/meta-record.ts";

export type RetentionMode = "GOVERNANCE" | "COMPLIANCE";

export interface Retention {
  mode: RetentionMode;
  /** ms since epoch. */
  retainUntil: number;
}

/** attrs.retention / attrs.legalHold, read defensively (records are JSON from disk). */
export function retentionOf(rec: Pick<ObjectVersionRecord, "attrs">): Retention | undefined {
  const r = rec.attrs.retention as Partial<Retention> | undefined;
  if (!r || (r.mode !== "GOVERNANCE" && r.mode !== "COMPLIANCE") || typeof r.retainUntil !== "number")
    return undefined;
  return { mode: r.mode, retainUntil: r.retainUntil };
}

export function legalHoldOf(rec: Pick<ObjectVersionRecord, "attrs">): boolean {
  return rec.attrs.legalHold === true;
}

/**
 * Why this version may not be deleted now, or undefined when it may. A legal hold always blocks;
 * COMPLIANCE retention blocks everyone until it ends; GOVERNANCE retention blocks unless the caller
 * bypasses it (x-amz-bypass-governance-retention with s3:BypassGovernanceRetention). Lifecycle passes
 * bypassGovernance = false: expiry never removes a locked version.
 */
export function lockBlocksDelete(
  rec: Pick<ObjectVersionRecord, "attrs">,
  now: number,
  bypassGovernance: boolean,
): "legal-hold" | "retention" | undefined {
  if (legalHoldOf(rec)) return "legal-hold";
  const r = retentionOf(rec);
  if (!r || r.retainUntil <= now) return undefined;
  if (r.mode === "GOVERNANCE" && bypassGovernance) return undefined;
  return "retention";
}

/**
 * May a version's retention go from what it has to `next` (undefined: removed) at `now`? An expired or
 * absent retention can be set to anything. COMPLIANCE can only be extended, by anyone, never shortened,
 * removed or turned into GOVERNANCE. GOVERNANCE can be extended in the same mode freely; shortening,
 * removing or changing its mode needs the bypass.
 */
export function retentionChangeAllowed(
  cur: Retention | undefined,
  next: Retention | undefined,
  now: number,
  bypassGovernance: boolean,
): boolean {
  if (!cur || cur.retainUntil <= now) return true;
  const extends_ = next !== undefined && next.mode === cur.mode && next.retainUntil >= cur.retainUntil;
  if (extends_) return true;
  return cur.mode === "GOVERNANCE" && bypassGovernance;
}

/** S3's timestamp form for retention dates (headers and XML): ISO 8601 UTC with milliseconds. */
export function retentionDate(ms: number): string {
  return new Date(ms).toISOString();
}

/** x-amz-object-lock-* headers of GET/HEAD for a version (none when it never had lock settings). */
export function lockResponseHeaders(rec: Pick<ObjectVersionRecord, "attrs">): Record<string, string> {
  const h: Record<string, string> = {};
  const r = retentionOf(rec);
  if (r) {
    h["x-amz-object-lock-mode"] = r.mode;
    h["x-amz-object-lock-retain-until-date"] = retentionDate(r.retainUntil);
  }
  if (typeof rec.attrs.legalHold === "boolean")
    h["x-amz-object-lock-legal-hold"] = rec.attrs.legalHold ? "ON" : "OFF";
  return h;
}
