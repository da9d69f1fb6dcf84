#!/usr/bin/env node
// The `parity` CLI. Commands land issue by issue; unknown or unbuilt ones say so clearly.
// First: sizes libuv's thread pool before anything starts it (see io-threads.ts).
import "../reference-server/storage/io-threads.ts";
import { parseArgs } from "node:util";

const COMMANDS: Record<string, string> = {
  serve: "start the reference server and its management API",
  admin: "manage tenants, accounts, buckets, faults and heal through the management API",
  conform: "run the conformance suites and write the report (issue 5, in progress)",
  drill: "run a durability drill scenario",
  load: "run a load scenario",
  durability: "print the durability model's annual loss probability",
  report: "build the HTML report from results",
  nightly: "nightly CI run",
};

const { positionals } = parseArgs({ allowPositionals: true, strict: false });
const [command] = positionals;
if (!command || command === "help" || !(command in COMMANDS)) {
  console.log("usage: parity <command> [options]\n");
  for (const [c, what] of Object.entries(COMMANDS)) console.log(`  ${c.padEnd(11)} ${what}`);
  process.exit(command && command !== "help" ? 2 : 0);
}
const rest = process.argv.slice(process.argv.indexOf(command) + 1);
try {
  if (command === "serve") process.exit(await (await import("./serve.ts")).runServe(rest));
  if (command === "admin") process.exit(await (await import("./admin.ts")).runAdmin(rest));
  if (command === "conform") {
    const mod = await import("./conform.ts").catch(() => undefined);
    if (mod) process.exit(await mod.runConform(rest));
  }
} catch (e) {
  console.error(`parity ${command}: ${(e as Error).message}`);
  process.exit(1);
}
console.error(`parity ${command}: not built yet — ${COMMANDS[command]}. See the open issues.`);
process.exit(2);
