import type { Activity } from 'botbuilder';
import { tenantOf } from '../auth/tenant-filter.ts';

/**
 * Who a Bot Framework question counts against. With credentials the channel's token vouches for the
 * activity, so the user is the one the channel names: in Teams the Entra object id within its tenant; in
 * channels whose client chooses its own user id (Web Chat over Direct Line), the conversation, which the
 * channel issued. In the local trial nothing is vouched for, so everything from one address counts together.
 */
export function botCallerKey(activity: Partial<Activity>, authenticated: boolean, source: string | undefined): string {
  if (!authenticated) return `local:${source ?? 'unknown'}`;
  if (activity.channelId === 'msteams') return `msteams:${tenantOf(activity) ?? '-'}:${activity.from?.aadObjectId ?? activity.from?.id ?? 'anonymous'}`;
  return `${activity.channelId}:conversation:${activity.conversation?.id ?? 'anonymous'}`;
}
