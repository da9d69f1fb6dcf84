import { DiskError, type DiskErrorCode } from "./errors.ts";

/**
 * Fold the per-disk answers of one operation into a single answer, like MinIO's reduceQuorumErrs.
 *
 * `results[i]` is null when disk i succeeded, or its DiskError. The answer is the outcome shared by at
 * least `quorum` disks: "ok" (null), or a single error code. When no outcome reaches the quorum the
 * answer is "noQuorum": too many disks disagree or are down, which must never be confused with a clean
 * "not found" (a key that truly does not exist is FileNotFound on a quorum of disks).
 */
export type QuorumAnswer = { kind: "ok" } | { kind: "error"; code: DiskErrorCode } | { kind: "noQuorum" };

export function reduceQuorumErrs(
  results: readonly (DiskError | null)[],
  quorum: number,
  ignored: readonly DiskErrorCode[] = [],
): QuorumAnswer {
  const counts = new Map<string, number>();
  for (const r of results) {
    if (r !== null && ignored.includes(r.code)) continue;
    const k = r === null ? "" : r.code;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  // Prefer success when it reaches quorum; otherwise the most frequent error that does.
  if ((counts.get("") ?? 0) >= quorum) return { kind: "ok" };
  let best: string | undefined;
  let bestCount = 0;
  for (const [k, n] of counts) {
    if (k !== "" && n > bestCount) {
      best = k;
      bestCount = n;
    }
  }
  if (best !== undefined && bestCount >= quorum) return { kind: "error", code: best as DiskErrorCode };
  return { kind: "noQuorum" };
}

/** Convenience: run `fn` on every item, collect null or the DiskError (other errors are rethrown). */
export async function settleDisks<T, R>(
  items: readonly T[],
  fn: (item: T, index: number) => Promise<R>,
): Promise<{ values: (R | undefined)[]; errors: (DiskError | null)[] }> {
  const values: (R | undefined)[] = new Array(items.length);
  const errors: (DiskError | null)[] = new Array(items.length).fill(null);
  await Promise.all(
    items.map(async (item, i) => {
      try {
        values[i] = await fn(item, i);
      } catch (e) {
        if (e instanceof DiskError) errors[i] = e;
        else throw e;
      }
    }),
  );
  return { values, errors };
}

/**
 * Run a write on every disk of each zone and fold the answers per zone: a zone counts as committed when
 * `k` of its disks succeeded (reduceQuorumErrs). A disk that is not there (undefined) counts as offline.
 * `degraded` names the zones where any disk failed, for heal.
 */
export async function writeZones<D>(
  zones: readonly { zone: string; disks: readonly (D | undefined)[] }[],
  k: number,
  op: (disk: D, index: number) => Promise<void>,
): Promise<{ committed: number; degraded: string[] }> {
  let committed = 0;
  const degraded: string[] = [];
  await Promise.all(
    zones.map(async (z) => {
      const { errors } = await settleDisks(z.disks, (d, i) =>
        d === undefined ? Promise.reject(new DiskError("DiskOffline", `${z.zone}#${i}`)) : op(d, i),
      );
      if (reduceQuorumErrs(errors, k).kind === "ok") committed++;
      if (errors.some((e) => e !== null)) degraded.push(z.zone);
    }),
  );
  return { committed, degraded };
}

/**
 * Is a record committed in one zone? "present" when k disks hold it (a success quorum, folded by
 * reduceQuorumErrs); "absent" when so many disks answer not-found (or corrupt) that k holders are
 * impossible; otherwise "unknown": too many disks are down to tell, and a caller must not treat that
 * as "not there".
 */
export type RecordVerdict = "present" | "absent" | "unknown";

export function recordVerdict(results: readonly (DiskError | null)[], k: number): RecordVerdict {
  if (reduceQuorumErrs(results, k).kind === "ok") return "present";
  const missing = results.filter((r) => r?.code === "FileNotFound" || r?.code === "FileCorrupt").length;
  return results.length - missing < k ? "absent" : "unknown";
}
