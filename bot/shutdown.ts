import type { Logger } from 'pino';
import type { Assistant } from '../core/answer.ts';

/** Counts the work in flight (questions being answered), so that shutdown can wait for it. */
export class InFlight {
  private count = 0;
  private idle: (() => void)[] = [];

  get size(): number {
    return this.count;
  }

  async track<T>(work: Promise<T>): Promise<T> {
    this.count++;
    try {
      return await work;
    } finally {
      this.count--;
      if (this.count === 0) for (const resolve of this.idle.splice(0)) resolve();
    }
  }

  drained(): Promise<void> {
    return this.count === 0 ? Promise.resolve() : new Promise((resolve) => this.idle.push(resolve));
  }
}

/** The assistant with every question counted in `inFlight`; Slack answers after its acknowledgement, outside any request. */
export function trackedAssistant(assistant: Assistant, inFlight: InFlight): Assistant {
  return {
    ask: (question, options) => inFlight.track(assistant.ask(question, options)),
    documents: () => assistant.documents(),
  };
}

export interface ShutdownOptions {
  /** Stops accepting connections; resolves once open requests have ended. */
  stopAccepting: () => Promise<void>;
  inFlight: InFlight;
  /** Closed after the work has drained (Redis, watchers, …); a failure is logged and the rest still close. */
  resources: { name: string; close: () => Promise<unknown> | unknown }[];
  timeoutMs: number;
  logger: Logger;
  exit?: (code: number) => void;
}

/**
 * SIGTERM / SIGINT: stop accepting, let the turns in flight finish, close resources, exit 0. If that takes
 * longer than `timeoutMs` the process exits 1 anyway, since the orchestrator will kill it soon after.
 * A second signal does not start a second shutdown.
 */
export function handleShutdownSignals(options: ShutdownOptions, signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT']): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  const shutdown = (signal: string): Promise<void> => {
    stopping ??= runShutdown(options, signal);
    return stopping;
  };
  for (const signal of signals) process.on(signal, () => void shutdown(signal));
  return () => shutdown('request');
}

async function runShutdown(options: ShutdownOptions, signal: string): Promise<void> {
  const { logger, inFlight } = options;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  logger.info({ signal, inFlight: inFlight.size }, 'shutting down: no new requests; finishing the turns in flight');
  const timer = setTimeout(() => {
    logger.error({ inFlight: inFlight.size, timeoutMs: options.timeoutMs }, 'shutdown timed out with turns still in flight; exiting');
    exit(1);
  }, options.timeoutMs);
  timer.unref();
  await Promise.all([options.stopAccepting().catch((error: unknown) => logger.warn({ err: error }, 'closing the server failed')), inFlight.drained()]);
  for (const resource of options.resources) {
    try {
      await resource.close();
    } catch (error) {
      logger.warn({ err: error, resource: resource.name }, 'closing a resource failed');
    }
  }
  clearTimeout(timer);
  logger.info('shut down cleanly');
  exit(0);
}
