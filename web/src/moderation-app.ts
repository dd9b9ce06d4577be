/** The moderation pages (src/contract/pages.ts): language, chrome, then the page's own view by <body data-page>. */
import "./moderation.css";
import { setupPage } from "./moderation-common.ts";
import { logPage } from "./moderation-log.ts";
import { organisationsPage } from "./moderation-organisations.ts";
import { queuePage } from "./moderation-queue.ts";
import { reviewPage } from "./moderation-review.ts";

const page = setupPage();
const views: Record<string, (p: typeof page) => Promise<void>> = {
  moderointi: queuePage,
  "moderointi-tapahtuma": reviewPage,
  "moderointi-loki": logPage,
  "moderointi-organisaatiot": organisationsPage,
};
const view = views[document.body.dataset.page ?? ""];
if (view) void view(page);
