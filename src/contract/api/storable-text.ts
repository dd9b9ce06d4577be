/**
 * Text PostgreSQL cannot store (as text or jsonb): NUL, and unpaired UTF-16 surrogates
 * (invalid UTF-8 sent as \u escapes). A schema that lets such a string through to SQL
 * turns a 400 into a database error.
 */

/** NUL and unpaired UTF-16 surrogates. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** True when `s` contains NUL or an unpaired surrogate. */
export const hasUnstorableText = (s: string) => s.includes("\u0000") || LONE_SURROGATE.test(s);
