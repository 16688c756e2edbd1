/**
 * Base error for the whole platform: a stable machine-readable `code` (never reworded, safe to alert
 * on), a human message saying what, where and why, and optional structured details for logs/APIs.
 */
export class HftError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'HftError';
  }

  toJSON(): { code: string; message: string; details: Record<string, unknown> } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

/** A factory for one registered error code; `factory.code` is the stable code itself. */
export type ErrorFactory<A extends unknown[]> = ((...args: A) => HftError) & {
  readonly code: string;
  /** True when `e` was produced by this factory (same code). */
  is(e: unknown): e is HftError;
};

/**
 * Register one error code with its message builder. Each lib keeps all of its codes in one
 * `errors.ts` registry, so codes are unique per lib and easy to audit.
 */
export function defineError<A extends unknown[]>(
  code: string,
  build: (...args: A) => { message: string; details?: Record<string, unknown> },
): ErrorFactory<A> {
  const factory = (...args: A): HftError => {
    const { message, details } = build(...args);
    return new HftError(code, message, details ?? {});
  };
  return Object.assign(factory, {
    code,
    is: (e: unknown): e is HftError => e instanceof HftError && e.code === code,
  });
}

/** Attach a cause to an error built by a factory (keeps the factory signature simple). */
export function withCause(err: HftError, cause: unknown): HftError {
  return new HftError(err.code, err.message, err.details, { cause });
}

/** Best-effort message of anything thrown. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
