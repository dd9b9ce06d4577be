/**
 * The client's IP address for rate limits: the socket address handed in by the runtime
 * entry; X-Forwarded-For only when TRUST_PROXY=true, and then its last hop (the one our
 * own proxy appended), because earlier entries are whatever the client chose to send.
 */
import type { Context } from "hono";

export type ClientIpFn = (c: Context) => string | undefined;

export function resolveClientIp(c: Context, trustProxy: boolean, socketIp: string | undefined): string {
  if (trustProxy) {
    const hops = (c.req.header("x-forwarded-for") ?? "")
      .split(",")
      .map((h) => h.trim())
      .filter(Boolean);
    const last = hops[hops.length - 1];
    if (last) return last.slice(0, 64);
  }
  return socketIp ?? "unknown";
}
