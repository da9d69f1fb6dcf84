import path from "node:path";
import { MessageChannel, type MessagePort, Worker } from "node:worker_threads";

/**
 * A worker thread spoken to over an explicit channel, whose port (unlike a Worker's own "message"
 * listener, which keeps the process alive) can be unref'd while nothing waits on the worker. The worker
 * finds its end of the channel in `workerData.port`, beside any `data` given. `onGone` runs once when
 * the worker dies or exits, whichever comes first: an exit (terminate, process.exit in the worker) fires
 * no "error", and callers waiting on it would otherwise wait forever.
 */
export function channelWorker(
  script: URL,
  data: Record<string, unknown>,
  onGone: (e: Error) => void,
): { worker: Worker; port: MessagePort } {
  const channel = new MessageChannel();
  const worker = new Worker(script, {
    workerData: { ...data, port: channel.port2 },
    transferList: [channel.port2],
  });
  let gone = false;
  const end = (e: Error) => {
    if (gone) return;
    gone = true;
    channel.port1.close();
    onGone(e);
  };
  worker.on("error", end);
  worker.once("exit", (code) => end(new Error(`${path.basename(script.pathname)} exited (code ${code})`)));
  return { worker, port: channel.port1 };
}
