/**
 * The model could not be reached or did not answer in time, after the retries the policy allows.
 * Callers answer offline instead; the message names the cause (status, timeout) and never a secret.
 */
export class ModelUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ModelUnavailableError';
  }
}
