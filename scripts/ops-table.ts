// docs/s3-operations.md: every command of the installed @aws-sdk/client-s3, what the reference server does
// with it and the test files that prove it. Computed, never hand-kept: the commands come from the SDK, what
// the server does from the route table (an action served by a route, with the header comment of its
// api/**/<Action>.ts file), and the tests from grepping the test files for the SDK command or the
// operation's catalog check ids. scripts/ops-table.test.ts fails when the file is out of date or a command
// has no test.
//
//   node scripts/ops-table.ts           print the table
//   node scripts/ops-table.ts --write   rewrite docs/s3-operations.md

import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { ROUTES } from "../reference-server/http/routes.ts";
import { catalogEntry } from "../suites/catalog/catalog.ts";
import { sdkOperations } from "../suites/catalog/sdk-commands.ts";

export const ROOT = fileURLToPath(new URL("..", import.meta.url)).replace(/\/$/, "");
export const DOC_PATH = join(ROOT, "docs", "s3-operations.md");
const TEST_ROOTS = ["reference-server", "suites", "scripts", "fault-injector", "load", "reports"];
// This generator's own test names every command: it proves none of them.
const SELF_TEST = "scripts/ops-table.test.ts";
const MAX_SHOWN = 3;

export interface OperationRow {
  operation: string;
  scope: string;
  /** The route table has an action for it. */
  served: boolean;
  /** What the server does: the action file's header comment, or NotImplemented. */
  behaviour: string;
  /** Test files (relative to the repository) that exercise it, those naming its catalog checks first. */
  tests: string[];
}

function walk(dir: string, out: string[] = []): string[] {
  // A top-level folder of the layout may not exist yet in a checkout (git keeps no empty folders).
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, out);
    else if (entry.name.endsWith(".ts")) out.push(path);
  }
  return out;
}

/** Actions the route table serves: each route's action, plus those its handler also serves (byIdQuery). */
export function servedActions(): Set<string> {
  const served = new Set<string>();
  for (const r of ROUTES.values()) {
    served.add(r.action);
    const also = (r.handler as { alsoServes?: unknown }).alsoServes;
    if (Array.isArray(also)) for (const a of also) if (typeof a === "string") served.add(a);
  }
  return served;
}

/** The first comment paragraph of an action file, without the leading `<Action>:`. */
export function headerComment(source: string, action: string): string {
  const lines: string[] = [];
  for (const line of source.split("\n")) {
    const m = /^\/\/ ?(.*)$/.exec(line.trim());
    if (!m) break;
    lines.push(m[1]);
  }
  return lines
    .join(" ")
    .replace(new RegExp(`^${action}:\\s*`), "")
    .replace(/\s+/g, " ")
    .trim();
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function computeRows(root = ROOT): OperationRow[] {
  const files = TEST_ROOTS.flatMap((d) => walk(join(root, d)));
  const actionFiles = new Map<string, string>();
  for (const f of walk(join(root, "reference-server", "api"))) {
    const name = f.slice(f.lastIndexOf("/") + 1, -3);
    if (!name.endsWith(".test")) actionFiles.set(name, f);
  }
  const tests = files
    .filter((f) => f.endsWith(".test.ts") && relative(root, f) !== SELF_TEST)
    .map((f) => ({ path: relative(root, f), text: readFileSync(f, "utf8") }));
  const served = servedActions();
  return sdkOperations().map((operation) => {
    const entry = catalogEntry(operation);
    const checks = entry?.checks ?? [];
    const command = new RegExp(`\\b${operation}Command\\b`);
    // Files that name the operation's catalog checks prove it most directly: they come first.
    const byCheck = tests
      .filter(
        (t) => t.text.includes(`check("${operation}"`) || checks.some((id) => t.text.includes(`"${id}"`)),
      )
      .map((t) => t.path)
      .sort();
    const byCommand = tests
      .filter((t) => command.test(t.text) && !byCheck.includes(t.path))
      .map((t) => t.path)
      .sort();
    const proving = [...byCheck, ...byCommand];
    const isServed = served.has(operation);
    const file = actionFiles.get(operation);
    const behaviour = !isServed
      ? "Not implemented: answers NotImplemented (501)"
      : file
        ? headerComment(readFileSync(file, "utf8"), operation) || "Served"
        : "Served";
    return { operation, scope: entry?.scope ?? "uncatalogued", served: isServed, behaviour, tests: proving };
  });
}

export function renderTable(rows: readonly OperationRow[]): string {
  const served = rows.filter((r) => r.served).length;
  const untested = rows.filter((r) => r.tests.length === 0).length;
  const out = [
    "# S3 operations",
    "",
    "Generated by `node scripts/ops-table.ts --write` from the installed `@aws-sdk/client-s3` (every command),",
    "the reference server's route table and the test files; `scripts/ops-table.test.ts` fails when this file",
    "is out of date or lists a command without a test. Do not edit by hand.",
    "",
    `${rows.length} commands; ${served} served by the reference server; ${untested} without a test.`,
    "",
    "| Command | Scope | Server | What the server does | Tests |",
    "| --- | --- | --- | --- | --- |",
  ];
  for (const r of rows) {
    // A few files are proof enough; the full list (every test creating a bucket) would drown the table.
    const shown = r.tests.slice(0, MAX_SHOWN).map((t) => `\`${t}\``);
    if (r.tests.length > MAX_SHOWN) shown.push("…");
    const tests = r.tests.length === 0 ? "**none**" : shown.join("<br>");
    out.push(
      `| ${r.operation} | ${r.scope} | ${r.served ? "served" : "501"} | ${escapeCell(r.behaviour)} | ${tests} |`,
    );
  }
  return `${out.join("\n")}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const table = renderTable(computeRows());
  if (process.argv.includes("--write")) {
    writeFileSync(DOC_PATH, table);
    console.log(`wrote ${relative(ROOT, DOC_PATH)}`);
  } else {
    process.stdout.write(table);
  }
}
