import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Where `npm run build` puts the console (vite → dist/console): found from this file up to the
 * folder holding package.json, so it works from apps/api/src (tests) and from dist/apps/… alike.
 */
export function consoleAssetsDir(from: string = __dirname): string | null {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) {
      const assets = join(dir, 'dist', 'console');
      return existsSync(join(assets, 'index.html')) ? assets : null;
    }
    if (dirname(dir) === dir) return null;
  }
}
