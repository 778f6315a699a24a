import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../model/clock.ts';

/**
 * OAuth-style tokens as Deribit issues them from `public/auth`: an access token that expires,
 * and a refresh token to get a new pair. Tokens are opaque and unguessable given the seeded
 * generator the venue passes in (this is a simulator: not a security boundary, but it must
 * reject wrong and expired tokens exactly as the venue does).
 */
export interface Credentials {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly accountId: string;
}

export interface TokenGrant {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly expiresInSec: number;
  readonly accountId: string;
  readonly scope: string;
}

interface TokenRecord {
  readonly accountId: string;
  readonly expiresAtMs: number;
  readonly scope: string;
}

export type AuthOutcome = { readonly ok: true; readonly grant: TokenGrant } | { readonly ok: false; readonly reason: 'invalid_credentials' | 'unauthorized' };

export class TokenIssuer {
  readonly #credentials = new Map<string, Credentials>();
  readonly #access = new Map<string, TokenRecord>();
  readonly #refresh = new Map<string, TokenRecord>();

  constructor(
    private readonly clock: Clock,
    private readonly randomHex: (bytes: number) => string,
    /** Access-token lifetime; short in tests so refresh is exercised. */
    private readonly accessTtlSec = 900,
    private readonly refreshTtlSec = 86_400,
  ) {}

  register(credentials: Credentials): void {
    this.#credentials.set(credentials.clientId, credentials);
  }

  clientCredentials(clientId: string, clientSecret: string, scope = 'connection'): AuthOutcome {
    const credentials = this.#credentials.get(clientId);
    if (!credentials || credentials.clientSecret !== clientSecret) return { ok: false, reason: 'invalid_credentials' };
    return { ok: true, grant: this.#issue(credentials.accountId, scope) };
  }

  refreshToken(refreshToken: string): AuthOutcome {
    const record = this.#refresh.get(refreshToken);
    if (!record || record.expiresAtMs <= this.clock.nowMs()) return { ok: false, reason: 'invalid_credentials' };
    this.#refresh.delete(refreshToken);
    return { ok: true, grant: this.#issue(record.accountId, record.scope) };
  }

  /** The account of a request signed with the client's secret (Deribit's deri-hmac-sha256), or undefined. */
  verifySignature(clientId: string, signedText: string, signatureHex: string): string | undefined {
    const credentials = this.#credentials.get(clientId);
    if (!credentials) return undefined;
    const expected = Buffer.from(createHmac('sha256', credentials.clientSecret).update(signedText).digest('hex'));
    const given = Buffer.from(signatureHex.toLowerCase());
    return expected.length === given.length && timingSafeEqual(expected, given) ? credentials.accountId : undefined;
  }

  /** The account an access token acts for, or undefined when unknown or expired. */
  accountFor(accessToken: string): string | undefined {
    const record = this.#access.get(accessToken);
    if (!record) return undefined;
    if (record.expiresAtMs <= this.clock.nowMs()) {
      this.#access.delete(accessToken);
      return undefined;
    }
    return record.accountId;
  }

  #issue(accountId: string, scope: string): TokenGrant {
    const nowMs = this.clock.nowMs();
    const accessToken = `${nowMs}.${this.randomHex(24)}`;
    const refreshToken = `${nowMs}.${this.randomHex(24)}`;
    this.#access.set(accessToken, { accountId, expiresAtMs: nowMs + this.accessTtlSec * 1000, scope });
    this.#refresh.set(refreshToken, { accountId, expiresAtMs: nowMs + this.refreshTtlSec * 1000, scope });
    return { accessToken, refreshToken, expiresInSec: this.accessTtlSec, accountId, scope: `${scope} mainaccount` };
  }
}
