import { cpSync, mkdtempSync, readFileSync, writeFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONTENT_ROOTS, PROJECT_ROOT } from '../../src/compose.js';
import { REJECTION_IDS, CONVERSATION_IDS } from '../../src/content/ids.js';
import { loadContent } from '../../src/content/load-content.js';
import { ContentError } from '../../src/core/errors.js';
import { DEFAULT_BRANDING } from '../../src/core/types.js';

function copyContent(): { intentsDir: string; knowledgeDir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'portpilot-content-'));
  cpSync(join(PROJECT_ROOT, 'intents'), join(dir, 'intents'), { recursive: true });
  cpSync(join(PROJECT_ROOT, 'knowledge'), join(dir, 'knowledge'), { recursive: true });
  return { intentsDir: join(dir, 'intents'), knowledgeDir: join(dir, 'knowledge') };
}

function problemsOf(roots: { intentsDir: string; knowledgeDir: string }): string[] {
  try {
    loadContent(roots, DEFAULT_BRANDING);
  } catch (error) {
    if (error instanceof ContentError) return error.problems;
    throw error;
  }
  return [];
}

describe('knowledge base and intents', () => {
  const content = loadContent(DEFAULT_CONTENT_ROOTS, DEFAULT_BRANDING);

  it('has an article and a rejection intent with at least 25 examples for every rejection reason', () => {
    for (const id of REJECTION_IDS) {
      const article = content.articles.get(id);
      expect(article, id).toBeDefined();
      expect(article!.steps.length, `${id} steps`).toBeGreaterThanOrEqual(3);
      expect(content.intents.get(id)?.kind).toBe('rejection');
      expect(content.intents.get(id)!.examples.length, id).toBeGreaterThanOrEqual(25);
    }
  });

  it('has the conversation intents and out-of-scope examples', () => {
    for (const id of CONVERSATION_IDS) expect(content.intents.get(id)?.kind, id).toBe('conversation');
    expect(content.intents.get('out_of_scope')?.examples.length).toBeGreaterThanOrEqual(100);
  });

  it('resolves cross-references: article carriers and documents exist', () => {
    const carrierIds = new Set(content.carriers.map((c) => c.id));
    for (const article of content.articles.values()) {
      for (const carrier of article.carriers) expect(carrierIds.has(carrier), `${article.id} -> ${carrier}`).toBe(true);
      for (const doc of article.documents) expect(content.documents.has(doc), `${article.id} -> ${doc}`).toBe(true);
    }
  });

  it('knows the carriers customers name, with their port-out PIN and lock', () => {
    const byId = new Map(content.carriers.map((c) => [c.id, c]));
    for (const id of ['google_voice', 'magicjack', 'verizon', 'tmobile', 'att', 'comcast', 'spectrum', 'lumen', 'ooma', 'ringcentral']) {
      expect(byId.has(id), id).toBe(true);
    }
    expect(byId.get('verizon')!.pin?.name).toMatch(/transfer pin/i);
    expect(byId.get('tmobile')!.lock?.name).toMatch(/port out protection/i);
    expect(content.glossary.map((t) => t.term)).toEqual(expect.arrayContaining(['CSR', 'BTN', 'FOC', 'LSR', 'LOA']));
  });

  it('fills branding placeholders from configuration', () => {
    const branded = loadContent(DEFAULT_CONTENT_ROOTS, { company: 'Acme Tel', portal: 'Acme Portal', support_email: 'help@acme.test' });
    const all = JSON.stringify([...branded.articles.values()]);
    expect(all).not.toContain('{{');
    expect(all).toContain('Acme Portal');
    expect(all).toContain('help@acme.test');
  });

  it('gives Spanish texts the default branding in Spanish, and a configured name as configured', () => {
    const spanishOf = (branding: typeof DEFAULT_BRANDING) => JSON.stringify(loadContent(DEFAULT_CONTENT_ROOTS, branding).intents.get('pin_required')?.flow?.steps.carrier?.es);
    expect(spanishOf(DEFAULT_BRANDING)).toContain('en el portal de portabilidad');
    expect(spanishOf(DEFAULT_BRANDING)).not.toContain('the porting portal');
    expect(spanishOf({ ...DEFAULT_BRANDING, portal: 'Acme Portal' })).toContain('en Acme Portal');
  });
});

describe('broken content is refused with a message naming file and field', () => {
  it('names the intent file and field when an example is not a string', () => {
    const roots = copyContent();
    const file = join(roots.intentsDir, 'freeze.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^examples:\n/m, 'examples:\n  - [not, a, string]\n'));
    expect(problemsOf(roots)).toEqual(expect.arrayContaining([expect.stringMatching(/^intents\/freeze\.yaml: examples\.0: /)]));
  });

  it('names the article when a section is missing', () => {
    const roots = copyContent();
    const file = join(roots.knowledgeDir, 'hunt_group.md');
    writeFileSync(file, readFileSync(file, 'utf8').replace('## When to resubmit', '## Resubmitting'));
    expect(problemsOf(roots).join('\n')).toMatch(/knowledge\/hunt_group\.md: sections: expected headings/);
  });

  it('names a missing article, an unknown carrier and an unknown placeholder', () => {
    const roots = copyContent();
    unlinkSync(join(roots.knowledgeDir, 'resporg.md'));
    const pin = join(roots.knowledgeDir, 'pin_required.md');
    writeFileSync(
      pin,
      readFileSync(pin, 'utf8')
        .replace(/^carriers: \[/m, 'carriers: [nosuchcarrier, ')
        .replace('## What happened\n', '## What happened\nSee {{nope}}.\n'),
    );
    const problems = problemsOf(roots).join('\n');
    expect(problems).toMatch(/knowledge\/resporg\.md: missing/);
    expect(problems).toMatch(/knowledge\/pin_required\.md: carriers\.0: unknown carrier "nosuchcarrier"/);
    expect(problems).toMatch(/knowledge\/pin_required\.md: .*unknown placeholder \{\{nope\}\}/);
  });

  it('names a plain-words cue that cannot work: a broken pattern, one matching empty text, an unknown reason', () => {
    const roots = copyContent();
    const file = join(roots.knowledgeDir, 'reason-cues.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(
        /^cues:\n/m,
        "cues:\n  - reason: no_such_reason\n    says: x\n    patterns: ['(unclosed', '(?:maybe)?']\n    covers: [hunt_group, pin_wrong]\n",
      ),
    );
    const problems = problemsOf(roots).join('\n');
    expect(problems).toMatch(/reason-cues\.yaml: cues\.0\.reason: "no_such_reason" is not a rejection reason/);
    expect(problems).toMatch(/reason-cues\.yaml: cues\.0\.patterns\.0: not a valid pattern/);
    expect(problems).toMatch(/reason-cues\.yaml: cues\.0\.patterns\.1: matches empty text/);
    expect(problems).toMatch(/reason-cues\.yaml: cues\.0\.covers: "pin_wrong" is not another rejection reason/);
  });

  it('names a file that is not valid YAML', () => {
    const roots = copyContent();
    writeFileSync(join(roots.intentsDir, 'meta', 'thanks.yaml'), 'id: thanks\nkind: [unclosed\n');
    expect(problemsOf(roots).join('\n')).toMatch(/intents\/meta\/thanks\.yaml: not valid YAML/);
  });

  it('refuses a walkthrough question that asks the customer to type a PIN', () => {
    const roots = copyContent();
    const file = join(roots.intentsDir, 'pin_required.yaml');
    const source = readFileSync(file, 'utf8');
    const firstAsk = /^(\s+)ask: .*$/m.exec(source)!;
    writeFileSync(file, source.replace(firstAsk[0], `${firstAsk[1]}ask: What is your account PIN?`));
    expect(problemsOf(roots).join('\n')).toMatch(/intents\/pin_required\.yaml: flow\.steps\.\w+\.ask: must never ask the customer to type a PIN/);
  });

  it('names a question without its slot', () => {
    const roots = copyContent();
    const file = join(roots.intentsDir, 'hunt_group.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('      slot: staying\n', ''));
    expect(problemsOf(roots).join('\n')).toMatch(/intents\/hunt_group\.yaml: flow\.steps\.staying\.ask: a question needs "slot" and "type"/);
  });

  it('names a notice fact that cannot answer its question', () => {
    const roots = copyContent();
    const file = join(roots.intentsDir, 'hunt_group.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('      fill: pilot\n', '      fill: carrier\n'));
    expect(problemsOf(roots).join('\n')).toMatch(/intents\/hunt_group\.yaml: flow\.steps\.pilot\.fill: the fact "carrier" cannot answer a phone question/);
  });

  it('names a condition that asks "is" of a question answered with one or more choices', () => {
    const roots = copyContent();
    const file = join(roots.intentsDir, 'info_mismatch.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('{ if: { slot: detail, has: address }, goto: address_kind }', '{ if: { slot: detail, is: address }, goto: address_kind }'),
    );
    expect(problemsOf(roots).join('\n')).toMatch(/intents\/info_mismatch\.yaml: flow\.steps\.resold\.next\.0\.if: "detail" holds one or more choices: use "has"/);
  });

  it('refuses a walkthrough that jumps to a step that does not exist', () => {
    const roots = copyContent();
    const file = join(roots.intentsDir, 'hunt_group.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('goto: keep_group', 'goto: keep_the_group'));
    expect(problemsOf(roots).join('\n')).toMatch(/intents\/hunt_group\.yaml: flow\.steps\.new_btn\.next\.0\.goto: no step "keep_the_group"/);
  });
});
