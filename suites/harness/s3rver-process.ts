// Child process running s3rver (see child-target.ts): argv[2] is its data directory, argv[3] an
// optional port (a restart after a crash keeps the endpoint the suites already use).

import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { stopWithParent } from "./child-target.ts";

interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
// CommonJS without types: loaded through require, typed by the small interface above.
const S3rver = createRequire(import.meta.url)("s3rver") as new (o: Record<string, unknown>) => S3rverInstance;

// s3rver's fixed credentials: it accepts no others.
const KEY = "S3RVER";
const server = new S3rver({
  address: "127.0.0.1",
  port: Number(process.argv[3] ?? 0),
  silent: true,
  directory: process.argv[2],
});
const address = await server.run();
process.stdout.write(
  `${JSON.stringify({ endpoint: `http://127.0.0.1:${address.port}`, accessKeyId: KEY, secretAccessKey: KEY })}\n`,
);
stopWithParent(() => server.close());
