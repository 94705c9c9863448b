/** Django's system-check messages: an id, a level, a message and an optional hint. */
export type CheckLevel = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR' | 'CRITICAL';
export const checkLevels: readonly CheckLevel[] = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'];

export interface CheckMessage {
  readonly id: string;
  readonly level: CheckLevel;
  readonly message: string;
  readonly hint?: string;
}

const headings: Record<CheckLevel, string> = {
  CRITICAL: 'CRITICALS',
  ERROR: 'ERRORS',
  WARNING: 'WARNINGS',
  INFO: 'INFOS',
  DEBUG: 'DEBUGS',
};

/** The report Django's `check` prints, grouped by level, most severe first. */
export function formatChecks(messages: readonly CheckMessage[]): string {
  const lines: string[] = [];
  for (const level of checkLevels.toReversed()) {
    const group = messages.filter((m) => m.level === level);
    if (group.length === 0) continue;
    lines.push('', `${headings[level]}:`);
    for (const m of group) lines.push(`?: (${m.id}) ${m.message}` + (m.hint ? `\n\tHINT: ${m.hint}` : ''));
  }
  return lines.join('\n');
}

export function countIssues(n: number): string {
  return n === 0 ? 'no issues' : n === 1 ? '1 issue' : `${n} issues`;
}
