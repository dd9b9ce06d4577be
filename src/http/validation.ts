/**
 * Turns zod failures into domain ValidationErrors that name the offending field or
 * query parameter. Used as the default hook of every OpenAPI route.
 */
import type { z } from "zod";
import { type FieldIssue, issueCode, ValidationError } from "../domain/errors.ts";

export function issuesFromZod(error: z.ZodError, prefix = "", flat = false): FieldIssue[] {
  const out: FieldIssue[] = [];
  for (const issue of error.issues) {
    // Query and path parameters are named as a whole ("language", not "language.0").
    const path = flat ? issue.path.slice(0, 1) : issue.path;
    const base = [prefix, ...path.map(String)].filter(Boolean).join(".");
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        out.push({
          path: base ? `${base}.${key}` : key,
          message: "is not a known parameter",
          code: issue.code,
        });
      }
      continue;
    }
    out.push({
      path: base || "(root)",
      message: issue.message,
      ...issueCode(issue as Parameters<typeof issueCode>[0]),
    });
  }
  return out;
}

/** The defaultHook for OpenAPIHono: throws so that onError renders one problem format. */
export function validationHook(result: { success: boolean; error?: z.ZodError; target?: string }) {
  if (!result.success && result.error) {
    const flat = result.target === "query" || result.target === "param" || result.target === "header";
    throw new ValidationError(issuesFromZod(result.error, "", flat));
  }
}
