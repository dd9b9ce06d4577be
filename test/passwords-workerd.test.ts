/**
 * Password hashes stay verifiable where WebCrypto refuses large PBKDF2 iteration counts
 * (workerd caps them at 100,000): the JavaScript fallback computes the same PBKDF2.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { hashPassword, verifyPassword } from "../src/domain/accounts/passwords.ts";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("PBKDF2 above the workerd cap", () => {
  it("verifies a hash made by WebCrypto when the runtime refuses the iteration count", async () => {
    const stored = await hashPassword("salasana-123456", 150_000);
    const real = crypto.subtle.deriveBits.bind(crypto.subtle);
    const spy = vi.spyOn(crypto.subtle, "deriveBits").mockImplementation((params, key, length) => {
      const p = params as Pbkdf2Params;
      if (p.iterations > 100_000) {
        return Promise.reject(new Error("Pbkdf2 failed: iteration counts above 100000 are not supported"));
      }
      return real(params, key, length);
    });
    expect(await verifyPassword("salasana-123456", stored)).toBe(true);
    expect(await verifyPassword("salasana-123457", stored)).toBe(false);
    expect(spy).toHaveBeenCalled();
    // And a hash made under the cap by the fallback verifies with WebCrypto.
    const made = await hashPassword("toinen-salasana", 150_000);
    spy.mockRestore();
    expect(await verifyPassword("toinen-salasana", made)).toBe(true);
  });
});
