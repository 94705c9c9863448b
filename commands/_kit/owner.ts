import { hostname } from 'node:os';
import type { Owner } from '../../core/export/write.ts';
import type { LockOwner } from '../../core/housekeeping/periodic.ts';

/** This process, for files and locks named after their holder: another process's are its own while it lives. */
export const thisProcess: Owner & LockOwner = {
  pid: process.pid,
  host: hostname(),
  alive(pid: number): boolean {
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, another user's
    }
  },
};
