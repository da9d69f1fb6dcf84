import type { LocalDisk } from "./disk.ts";
import type { EngineContext } from "./engine-context.ts";
import { StorageError } from "./errors.ts";
import { objectDir } from "./paths.ts";
import { disksUnder } from "./topology.ts";

export const FAULT_KINDS = ["offline", "wipe", "corrupt", "slow", "full"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultParams {
  /** slow: added latency per disk operation (default 50 ms). */
  slowMs?: number;
  /** corrupt: only this object's files (otherwise up to `files` files a disk). */
  bucket?: string;
  key?: string;
  /** corrupt: how many files a disk to damage when no object is named (default 3). */
  files?: number;
}

export interface Fault {
  id: string;
  target: string; // zone, rack, node or disk id
  kind: FaultKind;
  disks: string[];
  params: FaultParams;
  createdAt: number;
  /** corrupt: the files damaged (relative to their disk), for the report. */
  damaged?: string[];
}

/**
 * The hooks the fault injector drives: take a disk, node, rack or zone offline, wipe it (a replaced
 * disk), flip bytes in its files (bitrot), slow it down, fill it up — and undo each. Wiping and
 * corrupting cannot be undone by restoring: only heal repairs them, which is the point.
 */
export class FaultInjector {
  private readonly ctx: EngineContext;
  private readonly active = new Map<string, Fault>();
  private seq = 0;

  constructor(ctx: EngineContext) {
    this.ctx = ctx;
  }

  list(): Fault[] {
    return [...this.active.values()];
  }

  private disks(target: string): LocalDisk[] {
    try {
      return disksUnder(this.ctx.topology, target).map((s) => this.ctx.disks.get(s.id)!);
    } catch (e) {
      throw new StorageError("InvalidArgument", (e as Error).message, { target });
    }
  }

  async inject(target: string, kind: FaultKind, params: FaultParams = {}): Promise<Fault> {
    if (!FAULT_KINDS.includes(kind)) {
      throw new StorageError(
        "InvalidArgument",
        `unknown fault kind ${kind}; expected one of ${FAULT_KINDS.join(", ")}`,
      );
    }
    const disks = this.disks(target);
    const fault: Fault = {
      id: `f${++this.seq}`,
      target,
      kind,
      disks: disks.map((d) => d.id),
      params,
      createdAt: this.ctx.clock(),
    };
    switch (kind) {
      case "offline":
        for (const d of disks) d.fault.offline = true;
        break;
      case "slow":
        for (const d of disks) d.fault.slowMs = params.slowMs ?? 50;
        break;
      case "full":
        for (const d of disks) d.fault.full = true;
        break;
      case "wipe":
        for (const d of disks) await d.wipe();
        break;
      case "corrupt":
        fault.damaged = [];
        for (const d of disks) fault.damaged.push(...(await corruptDisk(d, params)));
        break;
    }
    this.active.set(fault.id, fault);
    return fault;
  }

  /** Undo a fault (offline, slow, full); wipe and corrupt records are just dropped: heal repairs. */
  async restore(id: string): Promise<Fault> {
    const fault = this.active.get(id);
    if (!fault) throw new StorageError("InvalidArgument", `no active fault ${id}`);
    this.active.delete(id);
    // A disk stays faulty while another active fault still covers it.
    const still = (diskId: string, kind: FaultKind) =>
      [...this.active.values()].some((f) => f.kind === kind && f.disks.includes(diskId));
    for (const diskId of fault.disks) {
      const d = this.ctx.disks.get(diskId)!;
      if (fault.kind === "offline" && !still(diskId, "offline")) d.fault.offline = false;
      if (fault.kind === "slow" && !still(diskId, "slow")) d.fault.slowMs = 0;
      if (fault.kind === "full" && !still(diskId, "full")) d.fault.full = false;
    }
    return fault;
  }

  async restoreAll(): Promise<void> {
    for (const id of [...this.active.keys()]) await this.restore(id);
  }
}

/** Flip one byte in the middle of files: every file of the named object, or a few random ones. */
async function corruptDisk(d: LocalDisk, p: FaultParams): Promise<string[]> {
  const files =
    p.bucket !== undefined && p.key !== undefined
      ? await d.filesUnder(objectDir(p.bucket, p.key))
      : (await d.filesUnder("objects")).slice(0, p.files ?? 3);
  const damaged: string[] = [];
  for (const f of files) if (await d.corruptFile(f)) damaged.push(f);
  return damaged;
}
