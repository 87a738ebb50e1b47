import type { Storage } from 'botbuilder';

/** What a rating needs to know about the message it rates. */
export interface RatedReply {
  question: string;
  answer: string;
  citations: { symbol: string; paragraph: string }[];
}

/** A remembered answer and how the rating was matched to it. */
export interface FoundReply extends RatedReply {
  /** The id the channel gave the answer's message. */
  id: string;
  /** "replyToId": the rating named the message; "latest": it did not, and this is the conversation's latest answer. */
  matchedBy: 'replyToId' | 'latest';
}

// Enough for a rating of any answer still on screen.
const KEPT_PER_CONVERSATION = 20;

interface IdsItem {
  /** Ids of the kept answers, oldest first. */
  ids: string[];
}

/**
 * The bot's latest answers per conversation, by the message id the channel gave them, so that a 👍/👎 on
 * a message can be recorded with the question, answer and citations it rates. Teams names the rated
 * message in the invoke's `replyToId`; clients that do not (the Agents Playground) rate from the feedback
 * button under an answer, and the conversation's latest answer is the one that was rated.
 * Each answer is its own item, with a short list of ids per conversation, so that remembering one answer
 * writes that answer and the list, not every kept answer again.
 */
export class RecentReplies {
  private readonly pending = new Map<string, Promise<void>>();

  constructor(private readonly storage: Storage) {}

  remember(conversationId: string, replyId: string, reply: RatedReply): Promise<void> {
    const key = idsKey(conversationId);
    const previous = this.pending.get(key) ?? Promise.resolve();
    const next = previous.then(async () => {
      const ids = [...(((await this.storage.read([key]))[key] as IdsItem | undefined)?.ids ?? []).filter((id) => id !== replyId), replyId];
      const dropped = ids.splice(0, Math.max(0, ids.length - KEPT_PER_CONVERSATION));
      await this.storage.write({ [replyKey(conversationId, replyId)]: { ...reply, eTag: '*' }, [key]: { ids, eTag: '*' } });
      if (dropped.length) await this.storage.delete(dropped.map((id) => replyKey(conversationId, id)));
    });
    const settled = next.catch(() => undefined);
    this.pending.set(key, settled);
    void settled.then(() => {
      if (this.pending.get(key) === settled) this.pending.delete(key);
    });
    return next;
  }

  /** The answer `replyToId` names; without one, the conversation's latest answer; undefined when neither is known. */
  async find(conversationId: string, replyToId: string | undefined): Promise<FoundReply | undefined> {
    const key = idsKey(conversationId);
    await this.pending.get(key);
    const ids = ((await this.storage.read([key]))[key] as IdsItem | undefined)?.ids ?? [];
    const id = replyToId ?? ids.at(-1);
    if (id === undefined || !ids.includes(id)) return undefined;
    const item = (await this.storage.read([replyKey(conversationId, id)]))[replyKey(conversationId, id)] as (RatedReply & { eTag?: string }) | undefined;
    if (!item) return undefined;
    return { question: item.question, answer: item.answer, citations: item.citations, id, matchedBy: replyToId ? 'replyToId' : 'latest' };
  }
}

function idsKey(conversationId: string): string {
  return `replies/${conversationId}`;
}

function replyKey(conversationId: string, replyId: string): string {
  return `reply/${conversationId}/${replyId}`;
}
