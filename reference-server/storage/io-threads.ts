// libuv's thread pool runs the engine's file work: shard writes, their fdatasync, shard reads. A large PUT
// keeps its 48 shard files flushing while it writes the next blocks (stripe-writer.ts), and each
// fdatasync holds its thread until the disk has the data, so with node's default of 4 threads the writes
// queued behind the flushes and concurrent PUTs fell into lockstep: all encoding, then all waiting on
// the disk. Measured with 64 MiB PUTs, engine alone, against 4 threads and 2 flushes at a time every
// 2 MiB: at c=8 iowait ~240 → ~125 ms a PUT and 1.1–1.2 → 1.5–1.6 Gbit/s; at c=1 1.0 → 1.3–1.4 Gbit/s.
//
// libuv reads UV_THREADPOOL_SIZE once, when the pool starts (its first job), so the entry points
// (scripts/parity.ts, the benchmarks) import this module before anything else. An explicit
// UV_THREADPOOL_SIZE wins. Imported later (a test runner, an embedding program), the pool keeps the
// size it started with and only the flush concurrency below follows the setting.

const DEFAULT_THREADS = 32;

process.env.UV_THREADPOOL_SIZE ??= String(DEFAULT_THREADS);

/** The pool size asked for (libuv clamps it to 1..1024). */
const ioThreads = Math.min(1024, Math.max(1, Math.floor(Number(process.env.UV_THREADPOOL_SIZE)) || 4));

/** A FIFO limit on the pool jobs of one kind in flight at once. */
export class PoolSlots {
  readonly size: number;
  private busy = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(size: number) {
    this.size = size;
  }

  /** Run `job` when a slot is free (in arrival order). */
  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.busy >= this.size) await new Promise<void>((r) => this.waiting.push(r));
    else this.busy++;
    try {
      return await job();
    } finally {
      // The slot passes straight to the next waiter, or is freed.
      const next = this.waiting.shift();
      if (next) next();
      else this.busy--;
    }
  }
}

/** Background fdatasyncs of shard files: half the pool, so writes and reads always find a thread. */
export const flushSlots = new PoolSlots(Math.max(1, Math.floor(ioThreads / 2)));

/**
 * Shard-file reads: as many as node's default pool had threads. A GET reads its 12 shards of a block at
 * once; with a thread each, their wake-ups preempted the main thread (64 MiB GET at c=1 ~15 % slower
 * with 32 threads than with 4, measured in alternating runs).
 */
export const readSlots = new PoolSlots(4);
