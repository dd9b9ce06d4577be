/**
 * Domain errors: plain classes without HTTP. One error handler in src/http/problem.ts
 * maps them to RFC 9457 problem+json responses.
 */

export interface FieldIssue {
  /** Dotted path of the offending field or parameter, e.g. "title.fi" or "limit". */
  path: string;
  message: string;
  /**
   * Machine-readable kind of the problem, for clients that show their own (translated) text:
   * the zod issue code ("too_big", "too_small", "invalid_format", "invalid_type", "custom", …).
   */
  code?: string;
  /** The limit that was exceeded (too_big) or not reached (too_small). */
  maximum?: number;
  minimum?: number;
}

/** The machine-readable part of a zod issue (code and limits) as FieldIssue fields. */
export function issueCode(issue: {
  code: string;
  maximum?: unknown;
  minimum?: unknown;
}): Pick<FieldIssue, "code" | "maximum" | "minimum"> {
  return {
    code: issue.code,
    ...(typeof issue.maximum === "number" ? { maximum: issue.maximum } : {}),
    ...(typeof issue.minimum === "number" ? { minimum: issue.minimum } : {}),
  };
}

export class DomainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Input that is well-formed but invalid (→ 400, or 422 when `unprocessable`). */
export class ValidationError extends DomainError {
  constructor(
    readonly issues: FieldIssue[],
    message = issues.map((i) => `${i.path}: ${i.message}`).join("; "),
    readonly unprocessable = false,
  ) {
    super(message);
  }
}

export class NotFound extends DomainError {
  constructor(
    readonly resource: string,
    readonly id?: string,
  ) {
    super(id ? `${resource} ${id} was not found` : `${resource} was not found`);
  }
}

/** A stale version or a clash with existing data (→ 409). */
export class Conflict extends DomainError {
  constructor(
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** A workflow transition that the current state does not allow (→ 409). */
export class InvalidTransition extends DomainError {
  constructor(
    readonly from: string,
    readonly action: string,
  ) {
    super(`Cannot ${action} an event that is ${from}`);
  }
}

export class Unauthorized extends DomainError {
  constructor(message = "Sign in to do this") {
    super(message);
  }
}

export class Forbidden extends DomainError {
  constructor(message = "You are not allowed to do this") {
    super(message);
  }
}

export class RateLimited extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many requests; try again in ${retryAfterSeconds} s`);
  }
}

/** The server is busy with work it bounds (e.g. password hashing) (→ 503 with Retry-After). */
export class Overloaded extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super(`The server is busy; try again in ${retryAfterSeconds} s`);
  }
}
