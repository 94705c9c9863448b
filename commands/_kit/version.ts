/**
 * The version users see in `confctl --version`, `confctl version` and the API root: package.json's,
 * read when the binary is built, so the binary carries it with no file beside it.
 */
import pkg from '../../package.json' with { type: 'json' };

export const version: string = pkg.version;

/**
 * The build: its target and git commit, inlined by scripts/build.ts (`--env=CONFCTL_BUILD_*`);
 * null when confctl runs from its sources.
 */
export const build: { target: string; commit: string } | null =
  process.env.CONFCTL_BUILD_TARGET && process.env.CONFCTL_BUILD_COMMIT ? { target: process.env.CONFCTL_BUILD_TARGET, commit: process.env.CONFCTL_BUILD_COMMIT } : null;
