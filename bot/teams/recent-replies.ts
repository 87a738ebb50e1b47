import type { Storage } from 'botbuilder';

/** What a rating needs to know about the message it rates. */
export interface RatedReply {
  question: string;
  answer: string;
  citations: { symbol: string; paragraph: string }[];
}

const KEPT_PER_CONVERSATION = 50;

interface RepliesItem {
  replies: ({ id: string } & RatedReply)[];
}

/**
 * The bot's latest answers per conversation, by the message id the channel gave them, so that a 👍/👎 on
 * a message (which carries only that id) can be recorded with the question, answer and citations it rates.
 */
export class RecentReplies {
  private readonly pending = new Map<string, Promise<void>>();

  constructor(private readonly storage: Storage) {}

  remember(conversationId: string, replyId: string, reply: RatedReply): Promise<void> {
    const key = keyFor(conversationId);
    const previous = this.pending.get(key) ?? Promise.resolve();
    const next = previous.then(async () => {
      const current = (await this.storage.read([key]))[key] as RepliesItem | undefined;
      const replies = [...(current?.replies ?? []), { id: replyId, ...reply }].slice(-KEPT_PER_CONVERSATION);
      await this.storage.write({ [key]: { replies, eTag: '*' } });
    });
    const settled = next.catch(() => undefined);
    this.pending.set(key, settled);
    void settled.then(() => {
      if (this.pending.get(key) === settled) this.pending.delete(key);
    });
    return next;
  }

  async find(conversationId: string, replyId: string): Promise<RatedReply | undefined> {
    const key = keyFor(conversationId);
    const item = (await this.storage.read([key]))[key] as RepliesItem | undefined;
    const found = item?.replies.find((r) => r.id === replyId);
    if (!found) return undefined;
    const { id: _id, ...reply } = found;
    return reply;
  }
}

function keyFor(conversationId: string): string {
  return `replies/${conversationId}`;
}
