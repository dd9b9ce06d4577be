/** Response types of the public list API, taken from the same zod schemas that document it. */
import type { z } from "zod";
import type { EventListItem } from "../../src/contract/api/public.ts";

/** A list item; with `updated_since`, tombstones `{event_id, deleted, updated_at}` may appear too. */
export type ListItem = z.infer<typeof EventListItem> & { deleted?: boolean };

export interface ListPage {
  data: ListItem[];
  next: string | null;
  total?: number;
}
