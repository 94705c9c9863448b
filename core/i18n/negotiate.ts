import Negotiator from 'negotiator';
import { toTag } from './locales.ts';

/**
 * The language of `available` (language codes, "pt-br") a browser's Accept-Language prefers, as
 * Django's LocaleMiddleware picks it: q-values weigh, "de-AT" is served "de" and "pt" "pt-br";
 * none of them, or no header: `fallback`. The header is read by negotiator (jshttp's, as Express has it).
 */
export function negotiateLanguage(header: string | null, available: readonly string[], fallback: string): string {
  if (!header) return fallback;
  const byTag = new Map(available.map((language) => [toTag(language), language]));
  const [best] = new Negotiator({ headers: { 'accept-language': header } }).languages([...byTag.keys()]);
  return (best !== undefined ? byTag.get(best) : undefined) ?? fallback;
}
