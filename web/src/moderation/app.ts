/** The moderation pages (src/contract/pages.ts): language, chrome, then the page's own view by <body data-page>. */
import "../styles/moderation.css";
import { setupPage } from "./common.ts";
import { logPage } from "./log.ts";
import { organisationsPage } from "./organisations.ts";
import { queuePage } from "./queue.ts";
import { reviewPage } from "./review.ts";

const page = setupPage();
const views: Record<string, (p: typeof page) => Promise<void>> = {
  moderointi: queuePage,
  "moderointi-tapahtuma": reviewPage,
  "moderointi-loki": logPage,
  "moderointi-organisaatiot": organisationsPage,
};
const view = views[document.body.dataset.page ?? ""];
if (view) void view(page);
