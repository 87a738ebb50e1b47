import * as connectorMappers from 'botframework-connector/lib/connectorApi/models/mappers.js';

/**
 * botbuilder 4.23.3 serializes outgoing activities with @azure/core-client, which keeps only the
 * properties a mapper declares; its `Entity` mapper declares `type`, `text` and `mentioned`, so the Teams
 * citation entity (`@type`, `citation`, `additionalType`, …) reaches Teams as a bare `{type}`. This is
 * botbuilder-js's own fix (microsoft/botbuilder-js#4903, not yet in a release): let `Entity` carry any
 * further properties. Idempotent; applied once when the adapter is created.
 */
export function keepEntityProperties(): void {
  const entity = (connectorMappers as unknown as { Entity: { type: { additionalProperties?: unknown } } }).Entity;
  entity.type.additionalProperties ??= { type: { name: 'Object' } };
}
