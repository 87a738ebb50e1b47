import type { Storage } from 'botbuilder';
import type { Answer, Turn } from '../../core/answer.ts';

/** How many earlier turns a follow-up question can lean on. */
const DEFAULT_TURNS = 5;
const MAX_WRITE_ATTEMPTS = 5;

interface MemoryItem {
  turns: Turn[];
}

/**
 * The last few turns of each conversation, kept in a botbuilder `Storage` so that follow-ups work
 * across restarts (and, with a shared store, across replicas). Turns are stored without `retrieved`,
 * which only explains a past ranking and would make every item many times larger.
 */
export class ConversationMemory {
  private readonly pending = new Map<string, Promise<void>>();

  constructor(
    private readonly storage: Storage,
    private readonly maxTurns = DEFAULT_TURNS,
  ) {}

  async history(conversationId: string): Promise<Turn[]> {
    const key = keyFor(conversationId);
    const items = await this.storage.read([key]);
    return (items[key] as MemoryItem | undefined)?.turns ?? [];
  }

  /** Appends a turn; turns of one conversation are appended in call order, never lost to a race. */
  remember(conversationId: string, turn: Turn): Promise<void> {
    const previous = this.pending.get(conversationId) ?? Promise.resolve();
    const next = previous.then(() => this.append(conversationId, { question: turn.question, answer: compact(turn.answer) }));
    const settled = next.catch(() => undefined);
    this.pending.set(conversationId, settled);
    void settled.then(() => {
      if (this.pending.get(conversationId) === settled) this.pending.delete(conversationId);
    });
    return next;
  }

  // Another replica may append to the same conversation at the same moment: write against the eTag that
  // was read, and on a conflict read again, so that neither turn is lost.
  private async append(conversationId: string, turn: Turn): Promise<void> {
    const key = keyFor(conversationId);
    for (let attempt = 1; ; attempt++) {
      const current = (await this.storage.read([key]))[key] as (MemoryItem & { eTag?: string }) | undefined;
      const turns = [...(current?.turns ?? []), turn].slice(-this.maxTurns);
      try {
        await this.storage.write({ [key]: { turns, eTag: current?.eTag ?? '*' } });
        return;
      } catch (error) {
        if (attempt >= MAX_WRITE_ATTEMPTS || !/eTag conflict/.test((error as Error).message)) throw error;
      }
    }
  }
}

function keyFor(conversationId: string): string {
  return `memory/${conversationId}`;
}

function compact(answer: Answer): Answer {
  return { ...answer, retrieved: [] };
}
