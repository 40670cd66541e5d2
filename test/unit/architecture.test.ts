/** Imports point inward: the core knows no adapter, and each SDK is imported in one place only. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/compose.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

const files = sourceFiles(join(PROJECT_ROOT, 'src')).map((file) => ({
  path: relative(PROJECT_ROOT, file),
  imports: [...readFileSync(file, 'utf8').matchAll(/^import[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1]!),
}));

describe('architecture', () => {
  it('core/ imports nothing but core/', () => {
    for (const file of files.filter((f) => f.path.startsWith('src/core/'))) {
      for (const spec of file.imports) expect(spec.startsWith('./') || spec.startsWith('node:'), `${file.path} imports ${spec}`).toBe(true);
    }
  });

  it.each([
    ['keyv', 'src/adapters/store/'],
    ['@keyv/', 'src/adapters/store/'],
    ['express', 'src/adapters/web/'],
    ['@slack/', 'src/adapters/slack/'],
    ['discord.js', 'src/adapters/discord/'],
    ['openai', 'src/adapters/model/'],
    ['prom-client', 'src/adapters/metrics/'],
  ])('%s is imported only under %s', (pkg, folder) => {
    for (const file of files) {
      if (file.imports.some((spec) => spec === pkg || spec.startsWith(pkg))) expect(file.path.startsWith(folder), file.path).toBe(true);
    }
  });

  it('the channel kit knows no SDK and no channel: only the core and its wording', () => {
    for (const file of files.filter((f) => f.path.startsWith('src/adapters/channel/'))) {
      for (const spec of file.imports) {
        const allowed = spec.startsWith('./') || spec.startsWith('../../core/') || spec.startsWith('../../dialogue/messages/') || spec === 'zod';
        expect(allowed, `${file.path} imports ${spec}`).toBe(true);
      }
    }
  });

  it('no channel imports another channel: what they share is in the channel kit', () => {
    const channels = ['slack', 'discord', 'web', 'terminal'];
    for (const channel of channels) {
      for (const file of files.filter((f) => f.path.startsWith(`src/adapters/${channel}/`))) {
        for (const other of channels.filter((c) => c !== channel)) {
          expect(
            file.imports.some((spec) => spec.startsWith(`../${other}/`)),
            `${file.path} imports from ${other}/`,
          ).toBe(false);
        }
      }
    }
  });

  it('only config.ts reads process.env', () => {
    for (const file of files) {
      const source = readFileSync(join(PROJECT_ROOT, file.path), 'utf8');
      if (/process\.env\b/.test(source)) expect(file.path).toBe('src/config.ts');
    }
  });
});
