/** The interface text of the schedule pages, in English and German; other locales fall back to English. */
const en = {
  skip: 'Skip to content',
  schedule: 'Schedule',
  talks: 'Talks',
  speakers: 'Speakers',
  featured: 'Featured',
  changelog: 'Changelog',
  listView: 'List view',
  gridView: 'Grid view',
  notReleased: 'The schedule has not been released yet.',
  noFeatured: 'No talks are featured yet.',
  noTalks: 'No talks yet.',
  version: 'Version',
  released: 'Released',
  room: 'Room',
  track: 'Track',
  time: 'Time',
  type: 'Type',
  abstract: 'Abstract',
  description: 'Description',
  biography: 'Biography',
  doNotRecord: 'This talk will not be recorded.',
  feeds: 'Feeds',
  calendar: 'Add to calendar (.ics)',
  talksOf: 'Talks',
  versionOf: 'Schedule version',
  now: 'now',
  next: 'next',
  versions: 'All released versions',
  madeWith: 'Made with confctl',
} as const;

type Catalogue = { [K in keyof typeof en]: string };

const de: Catalogue = {
  skip: 'Zum Inhalt springen',
  schedule: 'Programm',
  talks: 'Beiträge',
  speakers: 'Vortragende',
  featured: 'Empfohlen',
  changelog: 'Änderungen',
  listView: 'Listenansicht',
  gridView: 'Rasteransicht',
  notReleased: 'Das Programm ist noch nicht veröffentlicht.',
  noFeatured: 'Noch keine empfohlenen Beiträge.',
  noTalks: 'Noch keine Beiträge.',
  version: 'Version',
  released: 'Veröffentlicht',
  room: 'Raum',
  track: 'Track',
  time: 'Zeit',
  type: 'Art',
  abstract: 'Zusammenfassung',
  description: 'Beschreibung',
  biography: 'Biografie',
  doNotRecord: 'Dieser Beitrag wird nicht aufgezeichnet.',
  feeds: 'Feeds',
  calendar: 'Zum Kalender hinzufügen (.ics)',
  talksOf: 'Beiträge',
  versionOf: 'Programmversion',
  now: 'jetzt',
  next: 'danach',
  versions: 'Alle veröffentlichten Versionen',
  madeWith: 'Erstellt mit confctl',
};

export function catalogue(locale: string): Catalogue {
  return locale.toLowerCase().startsWith('de') ? de : en;
}

export type { Catalogue };
