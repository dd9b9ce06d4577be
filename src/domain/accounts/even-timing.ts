/**
 * Answers that must not reveal, by how long they take, whether an account exists (password
 * reset, submitter access): the work runs, then the answer waits until a fixed time has passed
 * since the start, so that both the "exists" path (token, outbox row) and the "unknown" path
 * take the same time. Runtime-neutral (performance.now and setTimeout).
 */

/** The time every such answer takes; well above the "exists" path's ~20–40 ms. */
export const EVEN_ANSWER_MS = 250;

export async function withEvenTiming<T>(work: () => Promise<T>, ms = EVEN_ANSWER_MS): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    const left = ms - (performance.now() - started);
    if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
  }
}
