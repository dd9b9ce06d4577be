import { defineConfig } from "drizzle-kit";

// Generates SQL migrations from src/db/schema.ts into migrations/ (never `push`).
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/db/schema.ts",
  out: "./migrations",
  strict: true,
  verbose: true,
});
