/** Roles a token can carry. */
export const ROLES = ['ops', 'risk', 'dev', 'system'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Who may do what. `ops` runs the platform, `risk` owns limits and the kill-switch, `dev` reads,
 * `system` is for daemons and service accounts (reads and backtests, never risk controls).
 */
export const PERMISSIONS = {
  'read': ['ops', 'risk', 'dev', 'system'],
  'kill-switch:write': ['ops', 'risk'],
  'limits:write': ['ops', 'risk'],
  /** Place, modify and cancel orders over REST (GTT and conditional orders). */
  'orders:write': ['ops', 'risk'],
  'backtest:run': ['ops', 'risk', 'dev', 'system'],
  'tokens:issue-other': ['ops'],
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof PERMISSIONS;

export function allowed(roles: readonly string[], permission: Permission): boolean {
  return roles.some((r) => (PERMISSIONS[permission] as readonly string[]).includes(r));
}
