// JUnit XML for CI: one <testsuite> per target, one <testcase> per catalog check, so a CI shows the same
// denominator as the report (checks never run are listed as skipped with the reason "not run").

import type { ResultsFile } from "../suites/harness/results.ts";

export function xmlEscape(text: string): string {
  // XML 1.0 forbids most control characters even when escaped: drop them.
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

export function junitXml(results: ResultsFile): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  let tests = 0;
  let failures = 0;
  let errors = 0;
  let skipped = 0;
  const suites: string[] = [];
  for (const t of results.targets) {
    const cases: string[] = [];
    let f = 0;
    let e = 0;
    let s = 0;
    let n = 0;
    for (const op of t.operations) {
      for (const c of op.checks) {
        n += 1;
        const name = xmlEscape(`[${op.operation}] ${c.check}`);
        const cls = xmlEscape(`${t.target.name}.${op.area}.${op.operation}`);
        const time = (c.durationMs / 1000).toFixed(3);
        const detail = c.runs
          .map((r) => r.error ?? r.skipReason ?? "")
          .filter(Boolean)
          .join("\n");
        let body = "";
        if (c.status === "fail") {
          f += 1;
          body = `<failure message="${xmlEscape(detail.split("\n")[0] ?? "failed")}">${xmlEscape(detail)}</failure>`;
        } else if (c.status === "error") {
          e += 1;
          body = `<error message="${xmlEscape(detail.split("\n")[0] ?? "error")}">${xmlEscape(detail)}</error>`;
        } else if (c.status !== "pass") {
          s += 1;
          const why =
            c.status === "missing" ? (t.unavailable ?? "not run: no test proves this check yet") : detail;
          body = `<skipped message="${xmlEscape(why || "skipped")}"/>`;
        }
        cases.push(`    <testcase name="${name}" classname="${cls}" time="${time}">${body}</testcase>`);
      }
    }
    tests += n;
    failures += f;
    errors += e;
    skipped += s;
    suites.push(
      `  <testsuite name="${xmlEscape(t.target.name)}" tests="${n}" failures="${f}" errors="${e}" skipped="${s}" ` +
        `time="${(t.durationMs / 1000).toFixed(3)}">`,
      ...cases,
      "  </testsuite>",
    );
  }
  out.push(
    `<testsuites name="parity conform" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}">`,
    ...suites,
    "</testsuites>",
    "",
  );
  return out.join("\n");
}
