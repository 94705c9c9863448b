import { errorMessage } from '../common/errors.ts';
import type { Fragments, FragmentPage } from '../export/pages.ts';
import type { LoadedApp } from './loader.ts';

/**
 * The installed apps' page fragments, in the order the apps are installed; none when no app has any
 * (the pages then stay byte for byte as without apps). A fragment that throws fails the page, naming
 * the app.
 */
export function siteFragments(apps: readonly LoadedApp[]): Fragments | undefined {
  const withSite = apps.filter((app) => app.definition.site !== undefined);
  if (withSite.length === 0) return undefined;
  const call = (part: 'header' | 'footer') => (page: FragmentPage) =>
    withSite
      .map((app) => {
        const hook = app.definition.site![part];
        if (!hook) return '';
        try {
          const out: unknown = hook({ event: { ...page.event }, language: page.language, path: page.path });
          if (out instanceof Promise) throw new Error('it returned a Promise: a fragment is a string, made at once (no async)');
          return typeof out === 'string' ? out : '';
        } catch (error) {
          throw new Error(`App ${app.label}: its site ${part} failed on ${page.path}: ${errorMessage(error)}`);
        }
      })
      .join('');
  // A </style> in an app's CSS would end the element early.
  const css = withSite.map((app) => app.definition.site!.css ?? '').filter(Boolean).join('\n').replace(/<\/(style)/gi, '<\\/$1');
  return { head: () => (css ? `<style>${css}</style>\n` : ''), header: call('header'), footer: call('footer') };
}
