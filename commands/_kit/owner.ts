import type { Owner } from '../../core/export/write.ts';

/** This process, for files named after their writer: another process's are its own while it lives. */
export const thisProcess: Owner = {
  pid: process.pid,
  alive(pid: number): boolean {
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, another user's
    }
  },
};
