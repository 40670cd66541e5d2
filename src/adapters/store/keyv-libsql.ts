/**
 * `KeyvLibsql`: a keyv storage adapter on an embedded SQLite file through `libsql`, which installs as
 * a prebuilt binary (no compiler, unlike `sqlite3`). Statements are prepared once and run
 * synchronously: a read or write of one conversation takes microseconds. Each row keeps its expiry in
 * a column, so expired rows are invisible at once and `purgeExpired()` removes them in one statement
 * (keyv itself only expires a row when it is read). Reads the table `@keyv/sqlite` wrote (`keyv`,
 * key and value), adding the column, so an existing file keeps its conversations.
 */
import { EventEmitter } from 'node:events';
import Database from 'libsql';

type Db = InstanceType<typeof Database>;
type Statement = { run(...params: unknown[]): { changes: number }; get(...params: unknown[]): unknown; all(...params: unknown[]): unknown[] };

export interface KeyvLibsqlOptions {
  /** The database file (`:memory:` for a private in-memory database). */
  path: string;
  table?: string;
  /** How long a write waits for another process holding the file's write lock. */
  busyTimeoutMs?: number;
  /**
   * How often the write-ahead log is copied into the database file, off the turn path. SQLite's own
   * checkpoint runs inside whichever commit fills the log (about every hundred turns here), and that
   * commit takes 10-15 ms: the p99 of a turn. On a timer, each page is copied once per interval.
   */
  checkpointEveryMs?: number;
}

/** The log's size after a checkpoint (bytes): it is reused, not left at its largest. */
const WAL_SIZE_LIMIT = 64 * 1024 * 1024;

export class KeyvLibsql extends EventEmitter {
  private checkpoints: NodeJS.Timeout | undefined;
  readonly opts: { path: string; table: string; dialect: 'sqlite' };
  namespace?: string;
  /** The open database, for the store's own tables (case index, locks). */
  readonly db: Db;
  readonly table: string;
  private readonly statements: {
    get: Statement;
    set: Statement;
    delete: Statement;
    clear: Statement;
    page: Statement;
    purge: Statement;
  };

  constructor(options: KeyvLibsqlOptions) {
    super();
    const table = (options.table ?? 'keyv').replace(/[^a-zA-Z0-9_]/g, '');
    this.table = table;
    this.opts = { path: options.path, table, dialect: 'sqlite' };
    this.db = new Database(options.path);
    this.db.exec(`PRAGMA busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    // WAL: readers never wait for the writer, and a commit is one append (not a journal rewrite).
    if (options.path !== ':memory:') this.db.exec('PRAGMA journal_mode = WAL');
    this.db.exec('PRAGMA synchronous = NORMAL');
    if (options.path !== ':memory:') {
      this.db.exec('PRAGMA wal_autocheckpoint = 0');
      this.db.exec(`PRAGMA journal_size_limit = ${WAL_SIZE_LIMIT}`);
      // Every process sharing the file checkpoints on its own timer; a PASSIVE checkpoint never waits for the others.
      this.checkpoints = setInterval(() => this.checkpoint(), options.checkpointEveryMs ?? 1_000);
      this.checkpoints.unref();
    }
    this.db.exec(`CREATE TABLE IF NOT EXISTS ${table} (key VARCHAR(255) PRIMARY KEY, value TEXT)`);
    const columns = this.db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>;
    if (!columns.some((c) => c.name === 'expires')) this.db.exec(`ALTER TABLE ${table} ADD COLUMN expires INTEGER`);
    this.db.exec(`CREATE INDEX IF NOT EXISTS ${table}_expires ON ${table} (expires) WHERE expires IS NOT NULL`);
    this.statements = {
      get: this.db.prepare(`SELECT value FROM ${table} WHERE key = ? AND (expires IS NULL OR expires > ?)`),
      set: this.db.prepare(`INSERT INTO ${table} (key, value, expires) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, expires = excluded.expires`),
      delete: this.db.prepare(`DELETE FROM ${table} WHERE key = ?`),
      clear: this.db.prepare(`DELETE FROM ${table} WHERE key LIKE ? ESCAPE '\\'`),
      page: this.db.prepare(`SELECT key, value FROM ${table} WHERE key LIKE ? ESCAPE '\\' AND (expires IS NULL OR expires > ?) ORDER BY key LIMIT ? OFFSET ?`),
      purge: this.db.prepare(`DELETE FROM ${table} WHERE expires <= ? OR (expires IS NULL AND json_valid(value) AND json_extract(value, '$.expires') <= ?)`),
    };
  }

  async get<Value>(key: string): Promise<Value | undefined> {
    return this.run(() => (this.statements.get.get(key, Date.now()) as { value: Value } | undefined)?.value);
  }

  async getMany<Value>(keys: string[]): Promise<Array<Value | undefined>> {
    return Promise.all(keys.map((key) => this.get<Value>(key)));
  }

  async set(key: string, value: unknown, ttl?: number): Promise<void> {
    this.run(() => this.write(key, value as string, ttl));
  }

  /** The write `set` does, synchronously, for use inside a caller's transaction. */
  write(key: string, serialized: string, ttl?: number): void {
    this.statements.set.run(key, serialized, typeof ttl === 'number' && ttl > 0 ? Date.now() + ttl : null);
  }

  async delete(key: string): Promise<boolean> {
    return this.run(() => this.statements.delete.run(key).changes > 0);
  }

  async deleteMany(keys: string[]): Promise<boolean> {
    let deleted = false;
    for (const key of keys) deleted = (await this.delete(key)) || deleted;
    return deleted;
  }

  async has(key: string): Promise<boolean> {
    return (await this.get(key)) !== undefined;
  }

  async clear(): Promise<void> {
    this.run(() => this.statements.clear.run(this.namespace ? `${escapeLike(this.namespace)}:%` : '%'));
  }

  async *iterator<Value>(namespace?: string): AsyncGenerator<[string, Value], void> {
    const pattern = namespace ? `${escapeLike(namespace)}:%` : '%';
    for (let offset = 0; ; offset += 100) {
      const rows = this.run(() => this.statements.page.all(pattern, Date.now(), 100, offset) as Array<{ key: string; value: Value }>);
      for (const row of rows) yield [row.key, row.value];
      if (rows.length < 100) return;
    }
  }

  /** Removes every expired row; resolves how many went. */
  purgeExpired(now = Date.now()): number {
    return this.run(() => this.statements.purge.run(now, now).changes);
  }

  /** Copies the write-ahead log into the database file as far as readers allow; a busy file is tried again next time. */
  checkpoint(): void {
    try {
      if (this.db.open) this.db.exec('PRAGMA wal_checkpoint(PASSIVE)');
    } catch (error) {
      this.emit('error', error);
    }
  }

  async disconnect(): Promise<void> {
    if (this.checkpoints) clearInterval(this.checkpoints);
    this.checkpoint();
    if (this.db.open) this.db.close();
  }

  /** Runs a statement; a failure is reported to keyv as an `error` event and rethrown. */
  private run<T>(statement: () => T): T {
    try {
      return statement();
    } catch (error) {
      this.emit('error', error);
      throw error;
    }
  }
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
