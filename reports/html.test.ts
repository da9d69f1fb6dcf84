import { describe, expect, test } from "vitest";
import { CATALOG } from "../suites/catalog/catalog.ts";
import type { CheckRun, ResultsFile } from "../suites/harness/results.ts";
import { catalogSize, targetResults } from "../suites/harness/results.ts";
import { compare } from "./baseline.ts";
import { renderHtml } from "./html.ts";
import { junitXml } from "./junit.ts";

const HOSTILE = `<script>alert("x")</script><img src=x onerror=alert(1)>`;

function run(
  operation: string,
  check: string,
  status: CheckRun["status"],
  extra: Partial<CheckRun> = {},
): CheckRun {
  return { operation, check, status, durationMs: 5, file: "suites/objects/objects.test.ts", ...extra };
}

function fixture(): ResultsFile {
  const loc = CATALOG.find((e) => e.operation === "GetBucketLocation")!;
  const good = targetResults(
    {
      name: "reference",
      kind: "reference",
      endpoint: "http://127.0.0.1:9000",
      region: "us-east-1",
      addressing: "path",
      alternateAccount: false,
      outOfScope: [],
    },
    [
      ...loc.checks.map((c) => run("GetBucketLocation", c, "pass")),
      run("GetObject", "get-object.no-such-key", "fail", {
        error: `AssertionError: expected ${HOSTILE}`,
        evidence: [
          {
            request: { method: "GET", url: "http://127.0.0.1:9000/b/k", headers: { "x-evil": HOSTILE } },
            response: {
              status: 200,
              headers: { "x-amz-request-id": "RID1" },
              body: `<Error>${HOSTILE}</Error>`,
            },
          },
        ],
      }),
    ],
  );
  const down = targetResults({ name: `peer${HOSTILE}` }, [], { unavailable: `refused ${HOSTILE}` });
  return {
    version: 1,
    startedAt: "2026-01-01T00:00:00.000Z",
    finishedAt: "2026-01-01T00:01:00.000Z",
    catalog: catalogSize(),
    targets: [good, down],
  };
}

// A minimal well-formedness check: every non-void element opened is closed, in order.
function unbalanced(html: string): string[] {
  const VOID = new Set(["meta", "input", "br", "img", "hr", "link"]);
  const stack: string[] = [];
  const problems: string[] = [];
  const body = html.replace(/<script>[\s\S]*?<\/script>/g, "").replace(/<style>[\s\S]*?<\/style>/g, "");
  for (const m of body.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*>/g)) {
    const [, close, tag] = m;
    const name = tag.toLowerCase();
    if (VOID.has(name) || name === "html" || m[0].startsWith("<!")) continue;
    if (!close) stack.push(name);
    else if (stack.pop() !== name) problems.push(`</${name}> at ${m.index}`);
  }
  return [...problems, ...stack.map((t) => `unclosed <${t}>`)];
}

describe("the HTML report", () => {
  const results = fixture();
  const html = renderHtml(results);

  test("shows the headline per target with its denominator, and per scope", () => {
    const total = CATALOG.length;
    expect(html).toContain(`${((1 / total) * 100).toFixed(1)}%`);
    expect(html).toContain(`<b>1 of ${total}</b> catalog operations pass`);
    expect(html).toMatch(/core<\/td><td><b>[\d.]+%<\/b><\/td><td class="muted">1 \/ \d+ operations/);
    expect(html).toContain(`Denominator: all\n <b>${total}</b> operations`);
  });

  test("has one matrix row per catalog operation and one column per target", () => {
    const rows = html.match(/<tr class="op"/g) ?? [];
    expect(rows).toHaveLength(CATALOG.length);
    const header = /<thead><tr><th>operation<\/th>(.*?)<\/tr><\/thead>/.exec(html)?.[1] ?? "";
    expect(header.match(/<th>/g)).toHaveLength(2);
    expect(html).toMatch(
      /GetBucketLocation <span class="scope">core<\/span><\/td><td><span class="badge pass">pass<\/span>/,
    );
    // The failing cell links to the failure's evidence.
    expect(html).toContain('href="#reference--GetObject--get-object.no-such-key"');
    expect(html).toContain('id="reference--GetObject--get-object.no-such-key"');
    expect(html).toContain("x-amz-request-id: RID1");
  });

  test("escapes hostile strings from targets and tests everywhere", () => {
    expect(html.match(/<script>/g)).toHaveLength(1); // the page's own
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(unbalanced(html)).toEqual([]);
  });

  test("is self-contained: no external resource of any kind", () => {
    expect(html).not.toMatch(/<(link|img|iframe)\b/);
    // Inside tags only: escaped text may well mention src= (the hostile fixture does).
    expect(html).not.toMatch(/<[a-z][^<>]*\bsrc=/i);
    expect(html).not.toMatch(/<[a-z][^<>]*\bhref="(?!#)/i);
    expect(html).not.toMatch(/@import|url\(/);
  });

  test("shows the comparison with a baseline: regressions first", () => {
    const baseline = structuredClone(results) as ResultsFile;
    const now = structuredClone(results) as ResultsFile;
    // In the baseline the check passed: now failing is a regression.
    const op = baseline.targets[0].operations.find((o) => o.operation === "GetObject")!;
    (op.checks.find((c) => c.check === "get-object.no-such-key") as { status: string }).status = "pass";
    const comparison = compare(baseline, now);
    expect(comparison.regressions).toEqual([
      {
        target: "reference",
        operation: "GetObject",
        check: "get-object.no-such-key",
        before: "pass",
        after: "fail",
      },
    ]);
    const page = renderHtml(now, comparison);
    expect(page).toContain("1 regression(s) against the baseline");
    expect(renderHtml(now, compare(now, now))).toContain("No regressions against the baseline");
  });

  test("JUnit lists every catalog check per target and escapes", () => {
    const xml = junitXml(results);
    const checks = catalogSize().checks;
    expect(xml).toContain(`<testsuite name="reference" tests="${checks}" failures="1" errors="0"`);
    expect((xml.match(/<testcase /g) ?? []).length).toBe(2 * checks);
    expect(xml).not.toContain("<script>");
    expect(xml).toContain("&lt;script&gt;");
  });
});
