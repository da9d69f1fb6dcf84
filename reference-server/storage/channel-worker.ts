import { MessageChannel, type MessagePort, Worker } from "node:worker_threads";

/**
 * A worker thread spoken to over an explicit channel, whose port (unlike a Worker's own "message"
 * listener, which keeps the process alive) can be unref'd while nothing waits on the worker. The worker
 * finds its end of the channel in `workerData.port`, beside any `data` given.
 */
export function channelWorker(
  script: URL,
  data: Record<string, unknown> = {},
): { worker: Worker; port: MessagePort } {
  const channel = new MessageChannel();
  const worker = new Worker(script, {
    workerData: { ...data, port: channel.port2 },
    transferList: [channel.port2],
  });
  return { worker, port: channel.port1 };
}
