// The compatibility report: ONE self-contained page (inline CSS and JS, no network) — headline score per
// target and scope with the denominator, the operation × target matrix, each failure with its evidence,
// and the comparison with a baseline. Every string from a target or a test is escaped: a hostile server
// controls error messages and headers.

import { AREAS } from "../suites/catalog/catalog.ts";
import type { Exchange } from "../suites/harness/evidence.ts";
import type { OperationResult, ResultsFile, TargetResults } from "../suites/harness/results.ts";
import type { Comparison } from "./baseline.ts";

export function esc(value: unknown): string {
  return String(value)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

const pct = (p: number) => `${p.toFixed(1)}%`;
const SCOPE_LABEL: Record<string, string> = { core: "core", extended: "extended", "aws-only": "aws-only" };

// Anchor ids derive from names an operator or a target chooses: keep only safe characters.
function anchor(...parts: string[]): string {
  return parts.map((p) => p.replace(/[^A-Za-z0-9._-]/g, "_")).join("--");
}

const CSS = `
:root{--pass:#1a7f37;--fail:#cf222e;--error:#bc4c00;--unproven:#6e7781;--bg:#fff;--fg:#1f2328;--muted:#656d76;--line:#d0d7de}
*{box-sizing:border-box}body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg);margin:0;padding:24px 32px;max-width:1400px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
.muted{color:var(--muted)}.cards{display:flex;gap:16px;flex-wrap:wrap;margin-top:16px}
.card{border:1px solid var(--line);border-radius:8px;padding:14px 18px;min-width:280px}
.card h3{margin:0 0 2px;font-size:16px}.big{font-size:40px;font-weight:700;line-height:1.1}
.card table{border-collapse:collapse;margin-top:8px}.card td{padding:2px 10px 2px 0}
.unavailable{border-color:var(--fail)}.unavailable .big{color:var(--fail)}
table.matrix{border-collapse:collapse;width:100%;margin-top:8px}
.matrix th,.matrix td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
.matrix th{position:sticky;top:0;background:#f6f8fa}.matrix tr.area td{background:#f6f8fa;font-weight:600}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;font-weight:600;color:#fff}
.pass{background:var(--pass)}.fail{background:var(--fail)}.error{background:var(--error)}.unproven,.missing,.skipped{background:var(--unproven)}
.scope{font-size:11px;color:var(--muted)}.oos{font-size:11px;color:var(--error)}
.banner{border-radius:8px;padding:10px 14px;margin-top:16px;font-weight:600}
.banner.bad{background:#ffebe9;border:1px solid var(--fail)}.banner.good{background:#dafbe1;border:1px solid var(--pass)}
details.failure{border:1px solid var(--line);border-radius:6px;margin:6px 0;padding:6px 10px}
details.failure summary{cursor:pointer}pre{background:#f6f8fa;padding:8px;overflow:auto;white-space:pre-wrap;word-break:break-all;font-size:12px;margin:6px 0}
.controls{margin:8px 0}.controls input[type=search]{padding:4px 8px;width:280px}
a{color:#0969da}
`;

// Filters the matrix by text and hides fully passing rows on demand; the page works without it.
const JS = `
(function(){
  var q=document.getElementById('filter'),f=document.getElementById('failing');
  function apply(){var t=(q.value||'').toLowerCase();var rows=document.querySelectorAll('tr.op');
    for(var i=0;i<rows.length;i++){var r=rows[i];var ok=r.textContent.toLowerCase().indexOf(t)>=0;
      if(f.checked&&r.getAttribute('data-allpass')==='1')ok=false;r.style.display=ok?'':'none';}}
  q.addEventListener('input',apply);f.addEventListener('change',apply);
})();
`;

function headline(t: TargetResults): string {
  const s = t.score;
  const scopes = Object.entries(s.byScope)
    .map(
      ([scope, r]) =>
        `<tr><td>${esc(SCOPE_LABEL[scope] ?? scope)}</td><td><b>${pct(r.operations.percent)}</b></td>` +
        `<td class="muted">${r.operations.passed} / ${r.operations.total} operations</td>` +
        `<td class="muted">${r.checks.passed} / ${r.checks.total} checks</td></tr>`,
    )
    .join("");
  const target = t.target as { name: string; endpoint?: string; kind?: string };
  const oos = t.operations.filter((o) => o.declaredOutOfScope).length;
  return `<div class="card${t.unavailable ? " unavailable" : ""}">
<h3>${esc(target.name)}</h3>
<div class="muted">${target.kind && target.kind !== target.name ? `${esc(target.kind)} · ` : ""}${esc(target.endpoint ?? "")}</div>
<div class="big">${pct(s.operations.percent)}</div>
<div><b>${s.operations.passed} of ${s.operations.total}</b> catalog operations pass ·
 <b>${s.checks.passed} of ${s.checks.total}</b> checks pass</div>
${t.unavailable ? `<div class="banner bad">unavailable: ${esc(t.unavailable)}</div>` : ""}
${t.runErrors.length ? `<div class="oos">${t.runErrors.length} run error(s), see below</div>` : ""}
${oos ? `<div class="oos">${oos} operation(s) declared out of scope by the operator (still counted)</div>` : ""}
<table>${scopes}</table>
</div>`;
}

function cell(t: TargetResults, op: OperationResult | undefined): string {
  if (t.unavailable) return '<td><span class="badge missing">unavailable</span></td>';
  if (!op) return "<td></td>";
  const passed = op.checks.filter((c) => c.status === "pass").length;
  const failing = op.checks.find((c) => c.status === "fail" || c.status === "error");
  const badge = `<span class="badge ${esc(op.status)}">${esc(op.status)}</span>`;
  const link = failing
    ? `<a href="#${esc(anchor(t.target.name, op.operation, failing.check))}">${badge}</a>`
    : badge;
  const oos = op.declaredOutOfScope ? ' <span class="oos">out of scope</span>' : "";
  return `<td>${link} <span class="muted">${passed}/${op.checks.length}</span>${oos}</td>`;
}

function matrix(results: ResultsFile): string {
  const targets = results.targets;
  const byTarget = targets.map((t) => new Map(t.operations.map((o) => [o.operation, o])));
  // Grouped by area in the catalog's area order; within an area, catalog order.
  const order = new Map<string, number>(AREAS.map((a, i) => [a, i]));
  const first = [...(targets[0]?.operations ?? [])].sort(
    (a, b) => (order.get(a.area) ?? 99) - (order.get(b.area) ?? 99),
  );
  const rows: string[] = [];
  let area = "";
  for (const op of first) {
    if (op.area !== area) {
      area = op.area;
      rows.push(`<tr class="area"><td colspan="${targets.length + 1}">${esc(area)}</td></tr>`);
    }
    const cells = targets.map((t, i) => cell(t, byTarget[i].get(op.operation)));
    const allPass = targets.every((_, i) => byTarget[i].get(op.operation)?.status === "pass");
    rows.push(
      `<tr class="op" data-allpass="${allPass ? 1 : 0}"><td>${esc(op.operation)} ` +
        `<span class="scope">${esc(op.scope)}</span></td>${cells.join("")}</tr>`,
    );
  }
  const head = targets.map((t) => `<th>${esc(t.target.name)}</th>`).join("");
  return `<div class="controls"><input type="search" id="filter" placeholder="filter operations, areas, statuses">
<label><input type="checkbox" id="failing"> hide operations passing everywhere</label></div>
<table class="matrix"><thead><tr><th>operation</th>${head}</tr></thead><tbody>${rows.join("\n")}</tbody></table>`;
}

function exchangeText(e: Exchange): string {
  const lines = [`${e.request.method} ${e.request.url}`];
  for (const [k, v] of Object.entries(e.request.headers)) lines.push(`${k}: ${v}`);
  if (e.request.body) lines.push("", e.request.body);
  if (e.response) {
    lines.push("", `← HTTP ${e.response.status}`);
    for (const [k, v] of Object.entries(e.response.headers)) lines.push(`${k}: ${v}`);
    if (e.response.body) lines.push("", e.response.body);
  }
  if (e.error) lines.push("", `✗ ${e.error}`);
  return lines.join("\n");
}

function failures(t: TargetResults): string {
  const items: string[] = [];
  for (const op of t.operations) {
    for (const c of op.checks) {
      if (c.status !== "fail" && c.status !== "error") continue;
      const runs = c.runs
        .filter((r) => r.status === "fail" || r.status === "error")
        .map((r) => {
          // Most recent first: the last exchange before the failure is usually the one that matters.
          const all = r.evidence ?? [];
          const evidence = [...all]
            .reverse()
            .map(
              (e, i) =>
                `<div class="muted">exchange ${all.length - i} of ${all.length}${i === 0 ? " (last)" : ""}</div>` +
                `<pre>${esc(exchangeText(e))}</pre>`,
            )
            .join("");
          return (
            `<div class="muted">${esc(r.file)}${r.variant ? ` · ${esc(r.variant)}` : ""} · ${r.durationMs} ms</div>` +
            `<pre>${esc(r.error ?? "")}</pre>${evidence || '<div class="muted">no HTTP evidence recorded</div>'}`
          );
        })
        .join("");
      items.push(
        `<details class="failure" id="${esc(anchor(t.target.name, op.operation, c.check))}"><summary>` +
          `<span class="badge ${esc(c.status)}">${esc(c.status)}</span> <b>${esc(op.operation)}</b> ` +
          `${esc(c.check)} <span class="scope">${esc(op.area)}</span></summary>${runs}</details>`,
      );
    }
  }
  const runErrors = t.runErrors.map((e) => `<pre>${esc(e)}</pre>`).join("");
  const unknown = t.unknown.length
    ? `<p class="muted">${t.unknown.length} test result(s) named no catalog check: ${t.unknown
        .map((u) => esc(`[${u.operation}] ${u.check}`))
        .join(", ")}</p>`
    : "";
  if (!items.length && !runErrors && !unknown) return "";
  return `<h3>${esc(t.target.name)} — ${items.length} failing check(s)</h3>${runErrors}${unknown}${items.join("\n")}`;
}

function comparisonSection(c: Comparison | undefined): string {
  if (!c) return "";
  const list = (xs: Comparison["regressions"]) =>
    `<ul>${xs
      .map(
        (r) =>
          `<li><b>${esc(r.target)}</b> ${esc(r.operation)} <code>${esc(r.check)}</code>: ` +
          `${esc(r.before)} → ${esc(r.after)}</li>`,
      )
      .join("")}</ul>`;
  const deltas = Object.entries(c.operationsDelta)
    .map(([t, d]) => `<li>${esc(t)}: ${d.before} → ${d.after} passing operations</li>`)
    .join("");
  const banner = c.regressions.length
    ? `<div class="banner bad" id="regressions">${c.regressions.length} regression(s) against the baseline</div>${list(c.regressions)}`
    : '<div class="banner good" id="regressions">No regressions against the baseline</div>';
  return `<h2>Compared with the baseline</h2>${banner}<ul>${deltas}</ul>
${c.fixed.length ? `<p>${c.fixed.length} check(s) fixed:</p>${list(c.fixed)}` : ""}
${c.newTargets.length ? `<p class="muted">Not in the baseline: ${c.newTargets.map(esc).join(", ")}</p>` : ""}`;
}

export function renderHtml(results: ResultsFile, comparison?: Comparison): string {
  const { operations, checks } = results.catalog;
  const fails = results.targets.map(failures).join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>S3 compatibility report — ${results.targets.map((t) => esc(t.target.name)).join(", ")}</title>
<style>${CSS}</style></head>
<body>
<h1>S3 compatibility report</h1>
<div class="muted">Run ${esc(results.startedAt)} → ${esc(results.finishedAt)}. Denominator: all
 <b>${operations}</b> operations and <b>${checks}</b> checks of the catalog (every @aws-sdk/client-s3 command).
 An operation passes only when all its checks pass; failing, erroring and unproven operations count against
 the score.</div>
${comparisonSection(comparison)}
<h2>Score per target</h2>
<div class="cards">${results.targets.map(headline).join("\n")}</div>
<h2>Operations × targets</h2>
<p class="muted">pass: every check passed · fail/error: at least one check failed · unproven: some check was
 skipped or has no test yet. Click a failing badge for its evidence.</p>
${matrix(results)}
<h2>Failures and evidence</h2>
${fails || '<p class="muted">No failing checks.</p>'}
<script>${JS}</script>
</body></html>
`;
}
