import { Database as Sqlite } from 'bun:sqlite';

/** Every text field that comes from speakers or organisers, filled with attacks. */
export const XSS = [
  '<script>alert("xss")</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg onload=alert(1)>',
  "'><iframe src=javascript:alert(1)></iframe>",
  '[click](javascript:alert(1))',
  '<a href="javascript:alert(1)">x</a>',
  '</title><script>alert(1)</script>',
  '{{constructor.constructor("alert(1)")()}}',
];

export function poison(path: string): void {
  const db = new Sqlite(path);
  const evil = XSS.join(' ');
  const i18n = JSON.stringify({ en: evil });
  db.run('UPDATE submission_submission SET title = ?, abstract = ?, description = ?', [evil, evil, evil]);
  db.run('UPDATE person_speakerprofile SET name = ?, biography = ?, avatar_url = ?', [evil, evil, 'javascript:alert(1)']);
  db.run('UPDATE schedule_room SET name = ?, description = ?', [i18n, i18n]);
  db.run('UPDATE submission_track SET name = ?', [i18n]);
  db.run('UPDATE submission_submissiontype SET name = ?', [i18n]);
  db.run('UPDATE event_event SET name = ?, landing_page_text = ?, featured_sessions_text = ?', [i18n, i18n, i18n]);
  db.run('UPDATE schedule_schedule SET comment = ?', [i18n]);
  db.close();
}

