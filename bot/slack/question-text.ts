/**
 * The question a person typed, from Slack's message markup: mentions of people and of the bot removed,
 * links and channel names reduced to what was shown, and the three escaped characters restored.
 */
export function questionFromSlackText(text: string): string {
  return text
    .replace(/<@[UWB][A-Z0-9]+(?:\|[^>]*)?>/g, ' ')
    .replace(/<!(?:here|channel|everyone)(?:\|[^>]*)?>/g, ' ')
    .replace(/<!subteam\^[A-Z0-9]+(?:\|([^>]*))?>/g, (_, label: string | undefined) => label ?? ' ')
    .replace(/<#[A-Z0-9]+(?:\|([^>]*))?>/g, (_, name: string | undefined) => (name ? `#${name}` : ' '))
    .replace(/<([^<>|]+)\|([^<>]*)>/g, '$2')
    .replace(/<([^<>]+)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}
