/**
 * The version users see in `confctl --version`, `confctl version` and the API root: package.json's,
 * read when the binary is built, so the binary carries it with no file beside it.
 */
import pkg from '../../package.json' with { type: 'json' };

export const version: string = pkg.version;
