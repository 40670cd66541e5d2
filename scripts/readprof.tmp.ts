import { compose } from '../src/compose.js';
import { loadConfig } from '../src/config.js';
const c = await compose(loadConfig(undefined, { defaults: { LOG_LEVEL: 'silent' }, overrides: { PORTPILOT_STORE_URL: 'memory://' } }));
const SCRIPT = ['my port was rejected, the carrier says the pilot number of the hunt group is being ported','312-555-0114, 312-555-0115, 312-555-0116','my port got rejected because of a freeze on the account'];
const s = performance.now(); for (let i = 0; i < 20000; i++) c.reader.read(SCRIPT[i % 3]!); console.log((performance.now() - s) / 20000);
process.exit(0);
