import type { Role } from '@hft/auth';

/**
 * A Logon's Username/Password checked by the security daemon (POST /token), so FIX users are platform
 * users: one password store, one throttle, the same roles. Returns the user's roles.
 */
export async function checkCredentials(securityUrl: string, username: string, password: string): Promise<{ ok: true; roles: Role[] } | { ok: false; text: string }> {
  const res = await fetch(`${securityUrl}/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }), signal: AbortSignal.timeout(5000) });
  if (!res.ok) {
    const why = ((await res.json().catch(() => ({}))) as { message?: string }).message ?? `HTTP ${res.status}`;
    return { ok: false, text: `logon refused: ${why}` };
  }
  const { access_token } = (await res.json()) as { access_token: string };
  const payload = JSON.parse(Buffer.from(access_token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { roles?: Role[] };
  return { ok: true, roles: payload.roles ?? [] };
}
