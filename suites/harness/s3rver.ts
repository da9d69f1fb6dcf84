// s3rver, the npm fake S3 server, as the comparison peer: started on loopback, port 0, with its own
// temporary directory, in a child process, so its score is measured in the same run as the real target.

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startChildServer } from "./child-target.ts";
import type { StartedTarget } from "./targets.ts";

export async function startS3rver(): Promise<StartedTarget> {
  const directory = await mkdtemp(join(tmpdir(), "parity-s3rver-"));
  const script = fileURLToPath(new URL("./s3rver-process.ts", import.meta.url));
  let server: Awaited<ReturnType<typeof startChildServer>>;
  try {
    server = await startChildServer(script, [directory], "s3rver");
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
  return {
    target: {
      name: "s3rver",
      kind: "s3rver",
      endpoint: server.endpoint,
      region: "us-east-1",
      addressing: "path",
      tls: { insecure: false },
      main: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
      outOfScope: [],
    },
    problems: () => server.death(),
    async close() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
