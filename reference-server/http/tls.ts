// TLS for the S3 listener: TLS 1.2 and 1.3 only, and a self-signed certificate (kept in the data dir)
// when none is configured, so `parity serve --tls` works on a fresh machine.

import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { isIP } from "node:net";
import { join } from "node:path";
import { generate } from "selfsigned";

export interface TlsMaterial {
  cert: string;
  key: string;
}

/** Protocol bounds of every TLS listener of the reference server. */
export const TLS_VERSIONS = { minVersion: "TLSv1.2", maxVersion: "TLSv1.3" } as const;

/** A self-signed server certificate for the given host names and addresses (localhost always included). */
export async function selfSignedCertificate(hosts: string[] = []): Promise<TlsMaterial> {
  const names = [...new Set(["localhost", "127.0.0.1", "::1", ...hosts])];
  const pems = await generate([{ name: "commonName", value: "s3-parity reference server" }], {
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: names.map((n) => (isIP(n) ? { type: 7 as const, ip: n } : { type: 2 as const, value: n })),
      },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

/** The certificate in `<dir>/tls/`, generated on first use (key file 0600). */
export async function loadOrCreateCertificate(dataDir: string, hosts: string[] = []): Promise<TlsMaterial> {
  const dir = join(dataDir, "tls");
  const certFile = join(dir, "cert.pem");
  const keyFile = join(dir, "key.pem");
  try {
    return { cert: await readFile(certFile, "utf8"), key: await readFile(keyFile, "utf8") };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  const made = await selfSignedCertificate(hosts);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // Key first, then the certificate: a certificate on disk always has its key beside it.
  await writeFile(`${keyFile}.tmp`, made.key, { mode: 0o600 });
  await rename(`${keyFile}.tmp`, keyFile);
  await writeFile(`${certFile}.tmp`, made.cert);
  await rename(`${certFile}.tmp`, certFile);
  return made;
}
