import { ADMIN_TOKEN_HEADER } from './endpoint.ts';
import type { ActiveFaults, Fault, FaultReceipt, SessionInfo } from './faults.ts';

/**
 * The admin endpoint from another process (end-to-end tests against `npm run sim` or a venue in
 * a worker): `new SimAdminClient('http://127.0.0.1:8123', token).apply({ type: 'dropConnection', target: { all: true } })`.
 */
export class SimAdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues?: unknown,
  ) {
    super(message);
    this.name = 'SimAdminError';
  }
}

export class SimAdminClient {
  readonly #baseUrl: string;
  constructor(
    baseUrl: string,
    private readonly token: string,
  ) {
    this.#baseUrl = baseUrl.replace(/\/+$/, '');
  }

  async apply(fault: Fault): Promise<FaultReceipt> {
    const body = await this.#request('POST', '/admin/fault', fault);
    return (body as { receipt: FaultReceipt }).receipt;
  }

  async sessions(): Promise<SessionInfo[]> {
    return ((await this.#request('GET', '/admin/sessions')) as { sessions: SessionInfo[] }).sessions;
  }

  async active(): Promise<ActiveFaults> {
    return (await this.#request('GET', '/admin/faults')) as ActiveFaults;
  }

  async #request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${this.#baseUrl}${path}`, {
      method,
      headers: { [ADMIN_TOKEN_HEADER]: this.token, ...(body !== undefined && { 'Content-Type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const parsed = (await response.json()) as { error?: string; issues?: unknown };
    if (!response.ok) throw new SimAdminError(response.status, parsed.error ?? `HTTP ${response.status}`, parsed.issues);
    return parsed;
  }
}
