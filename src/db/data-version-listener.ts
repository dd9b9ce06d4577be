/**
 * Keeps a DataVersionTracker (src/db/data-version.ts) fresh from PostgreSQL: a
 * dedicated connection LISTENs on the channel that the version triggers notify
 * ("<municipality id>:<version>", migration 0010). While it listens, cache hits and 304s need no query. On a lost
 * connection the tracker falls back to reading the database until LISTEN is back.
 *
 * It also reads the versions on its own connection every `pollMs`: that proves the
 * connection alive (a silently dead socket would otherwise leave the tracker trusting
 * an old value) and bounds how long a lost notification could go unnoticed. Long-lived
 * processes only (Node); Workers keep reading the version per request.
 */
import postgres from "postgres";
import {
  ALL_DATA_VERSIONS_SQL,
  DATA_VERSION_CHANNEL,
  type DataVersionTracker,
  parseVersionNotice,
} from "./data-version.ts";

export interface DataVersionListener {
  /** Resolves once LISTEN is active (or rejects when the first attempt fails). */
  ready: Promise<void>;
  close(): Promise<void>;
}

export function listenPostgres(
  url: string,
  tracker: DataVersionTracker,
  opts: { pollMs?: number; retryMs?: number; onError?: (err: unknown) => void } = {},
): DataVersionListener {
  const pollMs = opts.pollMs ?? 5_000;
  const retryMs = opts.retryMs ?? 1_000;
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Counts closed connections: LISTEN and the first read must happen on the same one.
  let epoch = 0;
  let active = false;
  // onnotify and onclose are postgres.js options (its own listen() uses them) that its
  // type declarations leave out.
  const options: postgres.Options<{}> & {
    onnotify(channel: string, payload: string): void;
    onclose(): void;
  } = {
    max: 1,
    idle_timeout: 0,
    max_lifetime: null,
    fetch_types: false,
    prepare: false,
    onnotice: () => {},
    connection: { application_name: "kuntakalenteri-version-listener" },
    onnotify(channel, payload) {
      const notice = channel === DATA_VERSION_CHANNEL ? parseVersionNotice(payload) : undefined;
      if (notice) tracker.observe(notice.id, notice.version);
    },
    onclose() {
      // The notifications of this connection are gone: read the database until LISTEN is back.
      epoch++;
      active = false;
      tracker.setListening(false);
      schedule(retryMs);
    },
  };
  const sql = postgres(url, options);

  const schedule = (ms: number) => {
    if (closed) return;
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => void tick().catch(() => {}), ms);
    (timer as { unref?: () => void }).unref?.();
  };

  const readVersion = async () => {
    const rows = await sql.unsafe<{ id: string; version: string }[]>(ALL_DATA_VERSIONS_SQL);
    for (const row of rows) tracker.observe(row.id, row.version);
  };

  /** (Re)establishes LISTEN when needed, then reads the version; schedules the next round. */
  async function tick(): Promise<void> {
    try {
      if (!active) {
        const e = epoch;
        await sql.unsafe(`listen ${DATA_VERSION_CHANNEL}`);
        // Versions committed before LISTEN took effect are read now, on the same connection.
        await readVersion();
        if (e !== epoch) throw new Error("the listener connection closed while subscribing");
        active = true;
        tracker.setListening(true);
      } else {
        await readVersion();
      }
      schedule(pollMs);
    } catch (err) {
      active = false;
      tracker.setListening(false);
      if (!closed) opts.onError?.(err);
      schedule(retryMs);
      throw err;
    }
  }

  const ready = tick();
  ready.catch(() => {});
  return {
    ready,
    async close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      tracker.setListening(false);
      await sql.end({ timeout: 5 });
    },
  };
}
