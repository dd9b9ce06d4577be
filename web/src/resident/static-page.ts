/** Pages without their own data (accessibility statement, 404): language and chrome only. */
import { applyChrome } from "../lib/common.ts";

const { t } = applyChrome();
const h1 = document.querySelector("h1");
if (document.querySelector("[data-section]")) document.title = `${t.navAccessibility} – ${t.siteName}`;
else if (h1) document.title = `${h1.textContent ?? ""} – ${t.siteName}`;
