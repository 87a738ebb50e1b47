import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { ModelUnavailableError } from './model-unavailable-error.ts';

/**
 * When and how long to wait before trying a model call again. The SDK's own retries are switched
 * off so that the policy is one place, configurable (tests use millisecond delays), and limited to
 * what is worth retrying: timeouts, lost connections, 429 and 5xx. Other 4xx (bad key, bad request,
 * unknown deployment) will not get better by asking again.
 */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** Delay before the first retry; doubles with each further one. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the user gets the offline answer now. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: Omit<RetryPolicy, 'maxRetries'> = {
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 5_000,
};

export async function withRetries<T>(call: () => Promise<T>, policy: RetryPolicy, what: string): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const problem = describe(error);
      if (!isRetryable(error)) throw new ModelUnavailableError(`${what} failed: ${problem}`, { cause: error });
      if (attempt >= policy.maxRetries) {
        throw new ModelUnavailableError(`${what} failed after ${attempt + 1} attempt(s): ${problem}`, { cause: error });
      }
      const retryAfter = retryAfterMs(error);
      if (retryAfter !== undefined && retryAfter > policy.maxRetryAfterMs) {
        throw new ModelUnavailableError(`${what} failed: ${problem}, retry after ${Math.ceil(retryAfter / 1000)} s`, { cause: error });
      }
      await sleep(retryAfter ?? backoffMs(attempt, policy));
    }
  }
}

export function isRetryable(error: unknown): boolean {
  if (error instanceof APIConnectionError) return true; // includes timeouts; status is undefined
  if (error instanceof APIError && typeof error.status === 'number') return error.status === 429 || error.status >= 500;
  return false;
}

/** Exponential backoff with jitter, so that many turns failing together do not retry in step. */
function backoffMs(attempt: number, policy: RetryPolicy): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return exponential * (0.75 + Math.random() * 0.5);
}

/** OpenAI sends `retry-after-ms`; proxies and Azure send `retry-after` in seconds or as an HTTP date. */
function retryAfterMs(error: unknown): number | undefined {
  if (!(error instanceof APIError) || !error.headers) return undefined;
  const ms = Number.parseFloat(error.headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = error.headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number.parseFloat(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function describe(error: unknown): string {
  if (error instanceof APIConnectionTimeoutError) return 'timed out';
  if (error instanceof APIConnectionError) return 'connection failed';
  if (error instanceof APIError) return `HTTP ${error.status ?? '?'}`;
  if (error instanceof Error) return error.message;
  return String(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
