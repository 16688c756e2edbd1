import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ERR_AUTH_KEYS, ERR_AUTH_UNKNOWN_KID } from './errors.js';

/** Finds the public key for a token header's `kid`. */
export interface KeySource {
  key(kid: string | undefined): Promise<KeyObject>;
  describe(): string;
}

/** One fixed public key (PEM), whatever the kid. */
export class StaticKey implements KeySource {
  private readonly k: KeyObject;

  constructor(
    pem: string,
    private readonly source = 'static key',
  ) {
    try {
      this.k = createPublicKey(pem);
    } catch (e) {
      throw ERR_AUTH_KEYS(source, (e as Error).message);
    }
  }

  static fromFile(path: string): StaticKey {
    let pem: string;
    try {
      pem = readFileSync(path, 'utf8');
    } catch (e) {
      throw ERR_AUTH_KEYS(path, (e as Error).message);
    }
    return new StaticKey(pem, path);
  }

  async key(): Promise<KeyObject> {
    return this.k;
  }

  describe(): string {
    return this.source;
  }
}

interface Jwk {
  kid?: string;
  kty: string;
  use?: string;
  [k: string]: unknown;
}

/**
 * Keys from a JWKS URL (the security daemon's /.well-known/jwks.json), cached by kid. An unknown kid
 * triggers a refetch (key rotation), at most once per `minRefetchMs`, so a flood of forged kids
 * cannot hammer the issuer.
 */
export class JwksKeys implements KeySource {
  private keys = new Map<string, KeyObject>();
  private lastFetch = 0;
  private inflight: Promise<void> | null = null;

  constructor(
    readonly url: string,
    private readonly minRefetchMs = 5_000,
  ) {}

  describe(): string {
    return this.url;
  }

  async key(kid: string | undefined): Promise<KeyObject> {
    const id = kid ?? '';
    let k = this.keys.get(id);
    if (k) return k;
    if (Date.now() - this.lastFetch >= this.minRefetchMs || this.keys.size === 0) await this.refresh();
    k = this.keys.get(id) ?? (kid === undefined && this.keys.size === 1 ? [...this.keys.values()][0] : undefined);
    if (!k) throw ERR_AUTH_UNKNOWN_KID(kid, this.url, [...this.keys.keys()]);
    return k;
  }

  private refresh(): Promise<void> {
    this.inflight ??= (async () => {
      try {
        this.lastFetch = Date.now();
        const res = await fetch(this.url, { signal: AbortSignal.timeout(2000) });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        const body = (await res.json()) as { keys?: Jwk[] };
        const next = new Map<string, KeyObject>();
        for (const jwk of body.keys ?? []) {
          if (jwk.use && jwk.use !== 'sig') continue;
          next.set(jwk.kid ?? '', createPublicKey({ key: jwk as never, format: 'jwk' }));
        }
        this.keys = next;
      } catch (e) {
        throw ERR_AUTH_KEYS(this.url, (e as Error).message);
      } finally {
        this.inflight = null;
      }
    })();
    return this.inflight;
  }
}
