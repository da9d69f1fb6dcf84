// s3rver, the npm fake S3 server, as the comparison peer: started on loopback, port 0, with its own
// temporary directory, in a child process, so its score is measured in the same run as the real target.

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type ChildServer, startChildServer } from "./child-target.ts";
import type { StartedTarget } from "./targets.ts";

/** s3rver dies on some hostile requests; it is restarted (same port, same data) so its score covers
 *  every area, and each crash is reported as a run error of the target. */
const MAX_RESTARTS = 20;

export async function startS3rver(): Promise<StartedTarget> {
  const directory = await mkdtemp(join(tmpdir(), "parity-s3rver-"));
  const script = fileURLToPath(new URL("./s3rver-process.ts", import.meta.url));
  const deaths: string[] = [];
  let closing = false;
  let port: number | undefined;
  let server: ChildServer;
  let restarting: Promise<void> = Promise.resolve();
  const spawnOne = async (): Promise<void> => {
    server = await startChildServer(
      script,
      port ? [directory, String(port)] : [directory],
      "s3rver",
      (why) => {
        deaths.push(why);
        if (closing || deaths.length > MAX_RESTARTS) return;
        restarting = spawnOne().catch((e: Error) => {
          deaths.push(`s3rver restart failed: ${e.message}`);
        });
      },
    );
    port ??= Number(new URL(server.endpoint).port);
  };
  try {
    await spawnOne();
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
  const first = server!;
  return {
    target: {
      name: "s3rver",
      kind: "s3rver",
      endpoint: first.endpoint,
      region: "us-east-1",
      addressing: "path",
      tls: { insecure: false },
      main: { accessKeyId: first.accessKeyId, secretAccessKey: first.secretAccessKey },
      outOfScope: [],
    },
    problems: () => (deaths.length ? deaths.join("\n") : undefined),
    async close() {
      closing = true;
      await restarting;
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
