import { ActivityTypes, type TurnContext } from 'botbuilder';

/** An answer ready within this long needs no indicator: one post to the connector instead of two. */
export const TYPING_AFTER_MS = 800;
/** Teams and Web Chat hide a typing indicator after about three seconds; renew it a little sooner. */
const RENEW_MS = 2_500;

/**
 * Shows "typing…" only when `work` is slow (not settled after `delayMs`), and keeps it up until it
 * settles, so that a slow model answer does not look like a dead bot while a quick one costs one post.
 * A failed indicator never fails the answer.
 */
export async function whileTyping<T>(context: TurnContext, work: () => Promise<T>, delayMs = TYPING_AFTER_MS): Promise<T> {
  const send = () => void context.sendActivity({ type: ActivityTypes.Typing }).catch(() => undefined);
  let renew: NodeJS.Timeout | undefined;
  const first = setTimeout(() => {
    send();
    renew = setInterval(send, RENEW_MS);
  }, delayMs);
  try {
    return await work();
  } finally {
    clearTimeout(first);
    clearInterval(renew);
  }
}
