import type { Activity, Middleware, TurnContext } from 'botbuilder';
import type { Logger } from 'pino';

/** Comma- or space-separated tenant ids from ALLOWED_TENANTS; empty means every tenant is allowed. */
export function parseAllowedTenants(value: string | undefined): Set<string> {
  return new Set((value ?? '').split(/[\s,]+/).map((id) => id.trim().toLowerCase()).filter(Boolean));
}

/** The Microsoft 365 tenant a Teams activity comes from. */
export function tenantOf(activity: Partial<Activity>): string | undefined {
  const fromChannelData = (activity.channelData as { tenant?: { id?: unknown } } | undefined)?.tenant?.id;
  const id = typeof fromChannelData === 'string' ? fromChannelData : activity.conversation?.tenantId;
  return id ? id.toLowerCase() : undefined;
}

const REFUSAL = {
  zh: '抱歉，此助手仅供已获授权的组织使用，无法回答来自您所在组织的问题。',
  en: 'Sorry, this assistant is only available to authorized organizations; it cannot answer questions from yours.',
};

/**
 * Adapter middleware: with ALLOWED_TENANTS set, a Teams activity from any other tenant (or none) is
 * refused politely and never reaches the bot. Only Teams activities carry a tenant; other channels are
 * governed by who holds the bot's channel secrets, so they pass.
 */
export function tenantFilter(allowed: Set<string>, logger: Logger): Middleware {
  return {
    async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
      const { activity } = context;
      if (allowed.size === 0 || activity.channelId !== 'msteams') return next();
      const tenant = tenantOf(activity);
      if (tenant && allowed.has(tenant)) return next();
      logger.warn({ tenant: tenant ?? null, activityType: activity.type }, 'refused an activity from a tenant that is not allowed');
      if (activity.type === 'message') {
        await context.sendActivity(/^en/i.test(activity.locale ?? '') ? REFUSAL.en : REFUSAL.zh);
      }
    },
  };
}
