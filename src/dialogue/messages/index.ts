/**
 * The bot's wording, one table per language, keyed by message id, with one `format()` for `{name}`
 * fields. A new language is a new table file registered here, not a code change elsewhere. Content
 * (articles, flows, carriers) has its own placeholders: `{{company}}` branding and `{slot}` answers.
 */
import { EN, type MessageKey } from './en.js';
import { ES } from './es.js';
import { DEFAULTS_IN_SPANISH } from '../../core/types.js';

export type { MessageKey } from './en.js';
export type MessageTable = Record<MessageKey, string>;
export const LANGUAGES = ['en', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

const TABLES: Record<Language, MessageTable> = { en: EN, es: ES };

/** Fills `{name}` fields; an unknown field is left as it is, so a missing value shows instead of vanishing. */
export function format(template: string, fields: Record<string, string> = {}): string {
  return template.replace(/\{(\w+)\}/g, (m, name: string) => fields[name] ?? m);
}

/** A message in a language (English by default), its fields filled; default branding and hours in that language. */
export function say(key: MessageKey, fields: Record<string, string> = {}, language: Language = 'en'): string {
  const local = language === 'es' ? Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, DEFAULTS_IN_SPANISH[value] ?? value])) : fields;
  return format(TABLES[language][key], local);
}
