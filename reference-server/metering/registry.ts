// Which meter belongs to which engine: the reference server registers its meter, the management API
// (which is handed the engine and the accounts store only) finds it here.

import type { StorageEngine } from "../storage/engine.ts";
import type { UsageMeter } from "./meter.ts";

const meters = new WeakMap<StorageEngine, UsageMeter>();

export function registerMeter(engine: StorageEngine, meter: UsageMeter): void {
  meters.set(engine, meter);
}

export function meterOf(engine: StorageEngine): UsageMeter | undefined {
  return meters.get(engine);
}
