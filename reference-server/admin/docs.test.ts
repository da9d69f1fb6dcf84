import { readFile } from "node:fs/promises";
import { expect, it } from "vitest";
import { adminRouter } from "./server.ts";

it("docs/admin-api.md documents every endpoint with an example request and response", async () => {
  const doc = await readFile(new URL("../../docs/admin-api.md", import.meta.url), "utf8");
  // "### `GET /accounts/{accountId}`" or "### `POST /accounts` — create": parameters named freely.
  const shape = (path: string) => path.replace(/\{[^}]+\}|:[A-Za-z]+|\*[A-Za-z]+/g, "{}");
  const documented = new Map<string, string>();
  const sections = doc.split(/^### /m).slice(1);
  for (const section of sections) {
    const m = /^`([A-Z]+) ([^`\s[]+)/.exec(section);
    if (m) documented.set(`${m[1]} ${shape(m[2])}`, section);
  }
  // The routes never call the engine or the store while being registered.
  const routes = adminRouter({} as never, {} as never).list();
  expect(routes.length).toBeGreaterThan(20);
  for (const r of routes) {
    const id = `${r.method} ${shape(r.pattern)}`;
    expect(documented.has(id), `${id} is not documented`).toBe(true);
    const section = documented.get(id)!;
    // A request example, and a response: JSON, or the status a body-less answer has.
    expect(section, `${id} has no curl example`).toMatch(/```sh\n(curl|# )/);
    expect(section, `${id} has no response example`).toMatch(/```json\n|# 204/);
  }
});
