/**
 * `npm run report -- --out FILE [--json FILE] [--store URL]`: the outcome report of the store the bot
 * runs on (PORTPILOT_STORE_URL, or --store): the funnel per rejection reason, satisfaction, volume over
 * time and what the bot did not understand, as one self-contained HTML file, and the same figures as JSON.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openStore } from '../src/adapters/store/open-store.js';
import { createLogger, DEFAULT_CONTENT_ROOTS } from '../src/compose.js';
import { brandingOf, loadConfig } from '../src/config.js';
import { loadContent } from '../src/content/load-content.js';
import { createOutcomes, proposalYaml } from '../src/outcomes/outcomes.js';
import { renderReportHtml } from '../src/outcomes/report-html.js';

const { values } = parseArgs({
  options: { out: { type: 'string' }, json: { type: 'string' }, store: { type: 'string' }, propose: { type: 'string' }, intent: { type: 'string' } },
});
const USAGE =
  'usage: npm run report -- --out report.html [--json report.json] [--store URL]\n       npm run report -- --propose GROUP --intent INTENT_ID [--store URL]   (GROUP: 1 = the largest group of messages not understood)';
if (!values.out && !values.json && !values.propose) {
  console.error(USAGE);
  process.exit(2);
}
const config = loadConfig(undefined, { defaults: { LOG_LEVEL: 'warn' }, ...(values.store ? { overrides: { PORTPILOT_STORE_URL: values.store } } : {}) });
const logger = createLogger(config, 2);
const content = loadContent(DEFAULT_CONTENT_ROOTS, brandingOf(config));
const store = openStore({ url: config.PORTPILOT_STORE_URL, logger });
try {
  const report = await createOutcomes({ store, logger }).report();
  if (values.out) {
    const titleOf = (reason: string) => content.articles.get(reason)?.title ?? reason;
    writeFileSync(values.out, renderReportHtml(report, { title: 'portpilot: what the bot resolves', generatedAt: new Date(), titleOf }));
    console.log(`report written to ${values.out}`);
  }
  if (values.json) {
    writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`figures written to ${values.json}`);
  }
  if (values.propose) {
    const group = report.gaps[Number(values.propose) - 1];
    if (!group || !values.intent || !content.intents.has(values.intent)) {
      console.error(!group ? `report: there is no group ${values.propose} (${report.gaps.length} groups)` : `report: --intent must be one of the intents in intents/\n${USAGE}`);
      process.exitCode = 2;
    } else {
      const dir = join(DEFAULT_CONTENT_ROOTS.intentsDir, 'review');
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `${values.intent}-${new Date().toISOString().slice(0, 10)}.yaml`);
      writeFileSync(file, proposalYaml(group, values.intent, new Date()));
      console.log(`${group.texts.length} message(s) proposed as examples of ${values.intent}: review ${file}`);
    }
  }
} finally {
  await store.close();
}
