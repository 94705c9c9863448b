import { messageKey } from './translator.ts';

/** A message of the interface, as a template (.pot) holds it: what translators translate. */
export interface Message {
  readonly context?: string;
  readonly id: string;
  readonly plural?: string;
  /** `#.` lines: what the source says to translators ("Translators: …"). */
  readonly comments?: readonly string[];
  /** `#:` lines: where the message is used, `file:line`. */
  readonly references?: readonly string[];
  /** `#,` flags: python-format where the message has named placeholders. */
  readonly flags?: readonly string[];
}

export const keyOf = (message: Pick<Message, 'id' | 'context'>): string => messageKey(message.id, message.context);

/** The named placeholders of a text, `%(name)s` and `%(count)d`, sorted and each once. */
export function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/%\((\w+)\)[sd]/g)].map((m) => m[1]!))].sort();
}

/** Whether a message's text uses Python's named placeholders (msgfmt then checks them: python-format). */
export const hasPlaceholders = (text: string): boolean => /%\(\w+\)[sd]/.test(text);
