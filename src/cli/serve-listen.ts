/** What `kubetwin serve` was asked for, and the listening both of its modes share. */
import { writeFileSync } from "node:fs";
import { stringify } from "yaml";
import { UsageError } from "./exit-codes.ts";
import type { TwinServer } from "./serve-http.ts";

export interface ServeArgs {
  path: string;
  run: string | undefined;
  atText: string | undefined;
  port: number;
  speed: number;
  kubeconfigOut: string;
  allowIncomplete: boolean;
  seedText: string | undefined;
  variant: string;
  db: string | undefined;
}

/**
 * A kubeconfig naming the served twin (no credentials: the twin asks for none). The twin speaks
 * plain HTTP on loopback; @kubernetes/client-node refuses an http server unless the cluster says
 * insecure-skip-tls-verify (there is no TLS to verify), kubectl ignores it for http.
 */
export function kubeconfigFor(url: string): string {
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "kubetwin", cluster: { server: url, "insecure-skip-tls-verify": true } }],
    users: [{ name: "kubetwin", user: {} }],
    contexts: [{ name: "kubetwin", context: { cluster: "kubetwin", user: "kubetwin" } }],
    "current-context": "kubetwin",
  });
}

/**
 * Listens, writes the kubeconfig, prints the address, and waits for SIGINT / SIGTERM (or for
 * `failure`: a live world that broke an invariant); stops the world and the server either way.
 */
export async function serveUntilStopped(server: TwinServer, args: Pick<ServeArgs, "port" | "kubeconfigOut">, banner: (url: string) => string, start: () => void, stop: () => void, failure?: Promise<never>): Promise<void> {
  try {
    await server.start();
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new UsageError(code === "EADDRINUSE" ? `port ${args.port} on 127.0.0.1 is in use (try --port 0)` : `cannot listen on 127.0.0.1:${args.port}: ${(e as Error).message}`);
  }
  writeFileSync(args.kubeconfigOut, kubeconfigFor(server.url));
  start();
  process.stdout.write(`${banner(server.url)}; kubeconfig ${args.kubeconfigOut}; Ctrl-C stops\n`);
  const signalled = new Promise<void>((resolve) => {
    const done = () => resolve();
    process.once("SIGINT", done);
    process.once("SIGTERM", done);
  });
  try {
    await (failure === undefined ? signalled : Promise.race([signalled, failure]));
  } finally {
    stop();
    await server.stop();
  }
  process.stdout.write("stopped\n");
}
