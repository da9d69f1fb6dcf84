// The archive tier: which versions are archived (GLACIER / DEEP_ARCHIVE storage classes, and every object
// written to a bucket whose type is "archive"), their restore state in attrs.restore, and what a read
// of them answers. GLACIER_IR is readable at once, as on AWS. Times come from the S3 clock
// (r.config.now()), so tests move time instead of waiting.

import { S3Error } from "../http/s3-error.ts";
import type { BucketRecord } from "../storage/index-db.ts";
import type { ObjectVersionRecord } from "../storage/meta-record.ts";

export const ARCHIVE_CLASSES: ReadonlySet<string> = new Set(["GLACIER", "DEEP_ARCHIVE"]);
export const TIERS = ["Expedited", "Standard", "Bulk"] as const;
export type Tier = (typeof TIERS)[number];

/** attrs.restore: a restore asked at `requestedAt`, readable from `readyAt` until `expiresAt` (ms). */
export interface RestoreState {
  tier: Tier;
  days: number;
  requestedAt: number;
  readyAt: number;
  expiresAt: number;
}

const MINUTE = 60_000;
/**
 * Time a restore takes, per storage class and tier. AWS takes minutes (Expedited) to hours (Standard,
 * Bulk); a test service shortens that. Override with PARITY_RESTORE_DELAY_MS, e.g.
 * "Expedited=1000,Standard=60000,Bulk=120000" (applies to both classes).
 */
const DEFAULT_DELAYS: Record<string, Partial<Record<Tier, number>>> = {
  GLACIER: { Expedited: 2_000, Standard: 5 * MINUTE, Bulk: 15 * MINUTE },
  // Deep Archive has no Expedited tier.
  DEEP_ARCHIVE: { Standard: 30 * MINUTE, Bulk: 60 * MINUTE },
};

function envDelays(env: NodeJS.ProcessEnv): Partial<Record<Tier, number>> {
  const out: Partial<Record<Tier, number>> = {};
  for (const part of (env.PARITY_RESTORE_DELAY_MS ?? "").split(",")) {
    const m = /^\s*(Expedited|Standard|Bulk)\s*=\s*(\d{1,12})\s*$/.exec(part);
    if (m) out[m[1] as Tier] = Number(m[2]);
  }
  return out;
}

/** Delay of a restore, or undefined when the tier is not offered for the class. */
export function restoreDelay(storageClass: string, tier: Tier, env = process.env): number | undefined {
  const base = DEFAULT_DELAYS[storageClass]?.[tier];
  if (base === undefined) return undefined;
  return envDelays(env)[tier] ?? base;
}

/** The storage class a new object gets: an archive bucket stores everything in the archive tier. */
export function storageClassFor(bucket: BucketRecord, requested: string): string {
  if (bucket.attrs.type !== "archive") return requested;
  return requested === "DEEP_ARCHIVE" ? "DEEP_ARCHIVE" : "GLACIER";
}

export function isArchived(rec: Pick<ObjectVersionRecord, "storageClass">): boolean {
  return ARCHIVE_CLASSES.has(rec.storageClass);
}

export function restoreOf(rec: Pick<ObjectVersionRecord, "attrs">): RestoreState | undefined {
  const s = rec.attrs.restore as Partial<RestoreState> | undefined;
  if (
    !s ||
    typeof s.readyAt !== "number" ||
    typeof s.expiresAt !== "number" ||
    typeof s.requestedAt !== "number" ||
    typeof s.days !== "number" ||
    !TIERS.includes(s.tier as Tier)
  )
    return undefined;
  return s as RestoreState;
}

export type RestorePhase = "none" | "ongoing" | "restored";

/** Where a version's restore stands now; an expired temporary copy is as if never restored. */
export function restorePhase(rec: Pick<ObjectVersionRecord, "attrs">, now: number): RestorePhase {
  const s = restoreOf(rec);
  if (!s || now >= s.expiresAt) return "none";
  return now < s.readyAt ? "ongoing" : "restored";
}

/** AWS rounds a restored copy's expiry up to the next midnight UTC after completion + Days. */
export function expiryOf(readyAt: number, days: number): number {
  const end = readyAt + days * 86_400_000;
  const d = new Date(end);
  const midnight = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  return midnight === end ? end : midnight + 86_400_000;
}

/** x-amz-restore on HEAD/GET of an archived version with a restore asked or done. */
export function restoreHeaders(rec: ObjectVersionRecord, now: number): Record<string, string> {
  if (!isArchived(rec)) return {};
  const phase = restorePhase(rec, now);
  if (phase === "ongoing") return { "x-amz-restore": 'ongoing-request="true"' };
  if (phase === "restored") {
    const exp = new Date(restoreOf(rec)!.expiresAt).toUTCString();
    return { "x-amz-restore": `ongoing-request="false", expiry-date="${exp}"` };
  }
  return {};
}

/** GET / copy of an archived version: refused until a restore completed, and after its copy expired. */
export function assertReadable(rec: ObjectVersionRecord, now: number): void {
  if (!isArchived(rec) || restorePhase(rec, now) === "restored") return;
  throw new S3Error("InvalidObjectState", {
    message: "The operation is not valid for the object's storage class",
    extra: { StorageClass: rec.storageClass },
  });
}
