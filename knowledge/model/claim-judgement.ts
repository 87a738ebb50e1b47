import { z } from 'zod';
import type { ClaimJudgement } from '../../core/answer.ts';

/**
 * The model's verdict on a claim, read from its reply: one JSON object, possibly inside a code fence or
 * after some words. Anything else is no judgement, and the offline verdict stands.
 */

const REPLY = z.object({
  verdict: z.enum(['supported', 'not_supported', 'cannot_tell']),
  paragraph: z.number().int().positive().nullish(),
  quote: z.string().nullish(),
  differs: z.string().nullish(),
});

export function parseClaimJudgement(output: string): ClaimJudgement | undefined {
  const start = output.indexOf('{');
  const end = output.lastIndexOf('}');
  if (start < 0 || end <= start) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(output.slice(start, end + 1));
  } catch {
    return undefined;
  }
  const parsed = REPLY.safeParse(value);
  if (!parsed.success) return undefined;
  const { verdict, paragraph, quote, differs } = parsed.data;
  return {
    verdict,
    ...(paragraph ? { paragraph } : {}),
    ...(quote?.trim() ? { quote: quote.trim() } : {}),
    ...(differs?.trim() ? { differs: differs.trim() } : {}),
  };
}
