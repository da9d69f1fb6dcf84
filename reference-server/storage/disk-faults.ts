// Fault injection on a disk (faults.ts drives it): the state a disk can be put in, the guard every
// guarded disk operation passes through first, and bitrot on a plain file.

import fs from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { DiskError } from "./errors.ts";

/** Fault state a disk can be put in by the fault injector (and restored from). */
export interface DiskFaultState {
  offline: boolean;
  slowMs: number; // added latency per operation
  full: boolean; // writes fail with ENOSPC
}

/** What LocalDisk's guard does: fail an offline (or full, for a write) disk, delay a slowed one. */
export async function guardFaults(fault: DiskFaultState, diskId: string, write: boolean): Promise<void> {
  if (fault.offline) throw new DiskError("DiskOffline", diskId);
  if (fault.slowMs > 0) await sleep(fault.slowMs);
  if (fault.offline) throw new DiskError("DiskOffline", diskId);
  if (write && fault.full) throw new DiskError("DiskFull", diskId);
}

/** Flip one byte in the middle of a file (bitrot). False when it is empty; throws when it is absent. */
export async function flipMiddleByte(file: string): Promise<boolean> {
  const fh = await fs.open(file, "r+");
  try {
    const { size } = await fh.stat();
    if (size === 0) return false;
    const pos = Math.floor(size / 2);
    const b = Buffer.alloc(1);
    await fh.read(b, 0, 1, pos);
    b[0] ^= 0xff;
    await fh.write(b, 0, 1, pos);
    return true;
  } finally {
    await fh.close();
  }
}
