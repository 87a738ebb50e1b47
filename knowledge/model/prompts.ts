import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Language } from '../../core/answer.ts';
import type { ChatMessage } from './chat-client.ts';

/**
 * Prompt templates live in prompts/NAME.LANG.md, so that people who are not programmers can review
 * and translate them. A file holds a system part and a user part, each opened by an HTML comment
 * (`<!-- system -->`, `<!-- user -->`); `{{name}}` placeholders are filled in one pass, so that text
 * inside a question or a document that looks like a placeholder stays as it is.
 */

export type PromptName = 'answer' | 'rewrite' | 'check';

const PROMPTS_DIR = fileURLToPath(new URL('../../prompts/', import.meta.url));
const cache = new Map<string, { system: string; user: string }>();

export function loadPrompt(name: PromptName, language: Language): { system: string; user: string } {
  const file = `${PROMPTS_DIR}${name}.${language}.md`;
  let template = cache.get(file);
  if (!template) {
    const parts = /^\s*<!--\s*system\s*-->([\s\S]*?)<!--\s*user\s*-->([\s\S]*)$/.exec(readFileSync(file, 'utf8'));
    if (!parts) throw new Error(`${file}: expected a "<!-- system -->" part followed by a "<!-- user -->" part`);
    template = { system: parts[1].trim(), user: parts[2].trim() };
    cache.set(file, template);
  }
  return template;
}

export function renderPrompt(name: PromptName, language: Language, values: Record<string, string>): ChatMessage[] {
  const template = loadPrompt(name, language);
  const fill = (text: string) =>
    text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
      const value = values[key];
      if (value === undefined) throw new Error(`prompts/${name}.${language}.md: no value for {{${key}}}`);
      return value;
    });
  return [
    { role: 'system', content: fill(template.system) },
    { role: 'user', content: fill(template.user) },
  ];
}

/**
 * Questions, history and document texts go between tags in the user message; removing anything
 * that looks like one of those tags keeps the data from closing its own delimiter and posing as
 * instructions.
 */
export function asData(text: string): string {
  return text.replace(/<\/?\s*(?:question|documents|conversation|paragraph|system|user|assistant|instructions?)\b[^>]*>/gi, ' ');
}
