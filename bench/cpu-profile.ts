// CPU profiles of the server's main thread in bench/server.ts (BENCH_PROFILE): the top of self time.

import path from "node:path";

export interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time by function; native frames (no script) are named with their JS caller. */
export function topSelf(p: CpuProfile, n = 15): { fn: string; ms: number; pct: number }[] {
  const byId = new Map(p.nodes.map((x) => [x.id, x]));
  const parent = new Map<number, ProfileNode>();
  for (const x of p.nodes) for (const c of x.children ?? []) parent.set(c, x);
  const label = (x: ProfileNode) => {
    const f = x.callFrame;
    const file = f.url ? path.relative(process.cwd(), f.url.replace(/^file:\/\//, "")) : "";
    return `${f.functionName || "(anonymous)"}${file ? ` ${file}:${f.lineNumber + 1}` : ""}`;
  };
  const self = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const node = byId.get(p.samples[i])!;
    let key = label(node);
    const up = parent.get(node.id);
    if (!node.callFrame.url && up && up.callFrame.functionName !== "(root)") key += ` <- ${label(up)}`;
    const dt = (p.timeDeltas[i] ?? 0) / 1000;
    self.set(key, (self.get(key) ?? 0) + dt);
    total += dt;
  }
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([fn, ms]) => ({ fn, ms: Math.round(ms), pct: Math.round((ms / total) * 1000) / 10 }));
}
