// Starts Swagger UI on /api/docs (a separate file: the site's CSP allows no inline scripts).
window.addEventListener("DOMContentLoaded", () => {
  window.ui = window.SwaggerUIBundle({
    // Under a municipality's path prefix the page names its own document (src/http/public/docs.ts).
    url: document.getElementById("swagger-ui")?.dataset.url ?? "/api/v1/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    tryItOutEnabled: true,
  });
});
