// TLS versions: the service accepts TLS 1.2 and 1.3 only. Proven on HTTPS targets; a plain HTTP target
// leaves the check unproven (skipped with the reason), which counts against its score.

import { connect } from "node:tls";
import { expect } from "vitest";
import { check } from "../catalog/check.ts";
import { suite, useFixture } from "../harness/suite.ts";

const fx = useFixture();

function handshake(host: string, port: number, version: "TLSv1" | "TLSv1.1" | "TLSv1.2"): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({
      host,
      port,
      servername: host === "127.0.0.1" ? undefined : host,
      minVersion: version,
      maxVersion: version,
      // OpenSSL 3 refuses legacy versions at its default security level; lower it so the client offers them.
      ciphers: "DEFAULT@SECLEVEL=0",
      rejectUnauthorized: false,
    });
    socket.once("secureConnect", () => {
      socket.destroy();
      resolve(`accepted ${version}`);
    });
    socket.once("error", () => resolve("refused"));
  });
}

suite("tls", () => {
  const f = fx!;
  check("HeadBucket", "head-bucket.tls-legacy-versions-refused", async (ctx) => {
    const url = new URL(f.target.endpoint);
    if (url.protocol !== "https:") ctx.skip("the target endpoint is plain HTTP");
    const port = Number(url.port || 443);
    // A refusal only means something if the same endpoint completes a TLS 1.2 handshake.
    expect(await handshake(url.hostname, port, "TLSv1.2")).toBe("accepted TLSv1.2");
    expect(await handshake(url.hostname, port, "TLSv1")).toBe("refused");
    expect(await handshake(url.hostname, port, "TLSv1.1")).toBe("refused");
  });
});
