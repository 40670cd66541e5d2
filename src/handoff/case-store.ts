/**
 * Case files through the store port. New cases go into the store's case index (a table or sorted set
 * that concurrent adds never overwrite), and claims use the store's atomic set-if-absent, so with
 * several instances sharing a store every case is listed and exactly one claim wins.
 */
import { randomBytes } from 'node:crypto';
import type { ConversationStore } from '../core/ports.js';
import { caseFileSchema, type CaseFile } from './case-file.js';

const INDEX = 'cases';
/** Where an earlier version listed cases (a list rewritten on every new case): still read. */
const LEGACY_INDEX_KEY = 'cases:index';
/** Cases are kept a year; the index lists the most recent ones. */
const CASE_TTL_MS = 365 * 24 * 3600_000;
const INDEX_LIMIT = 2000;

export interface CaseStore {
  newId(): string;
  get(id: string): Promise<CaseFile | undefined>;
  save(file: CaseFile): Promise<void>;
  /** Adds a new case and lists it in the index. */
  create(file: CaseFile): Promise<void>;
  list(): Promise<CaseFile[]>;
  /** Atomically claims a case: true for exactly one caller. */
  claim(id: string, staffId: string): Promise<boolean>;
  releaseClaim(id: string): Promise<void>;
}

export function createCaseStore(store: ConversationStore): CaseStore {
  const key = (id: string) => `case:${id}`;
  return {
    newId: () => `C-${randomBytes(4).readUInt32BE(0).toString(36).toUpperCase().padStart(6, '0').slice(-6)}`,
    async get(id) {
      const parsed = caseFileSchema.safeParse(await store.get(key(normalizeId(id))));
      return parsed.success ? parsed.data : undefined;
    },
    save: (file) => store.set(key(file.id), file, CASE_TTL_MS),
    async create(file) {
      await store.set(key(file.id), file, CASE_TTL_MS);
      await store.indexAdd(INDEX, file.id, Date.parse(file.createdAt) || Date.now());
    },
    async list() {
      const legacy = ((await store.get(LEGACY_INDEX_KEY)) as string[] | undefined) ?? [];
      const indexed = await store.indexMembers(INDEX, INDEX_LIMIT);
      const index = [...new Set([...legacy, ...indexed])].slice(-INDEX_LIMIT);
      const files = await Promise.all(index.map(async (id) => caseFileSchema.safeParse(await store.get(key(id)))));
      return files.flatMap((f) => (f.success ? [f.data] : []));
    },
    claim: (id, staffId) => store.setIfAbsent(`case-claim:${normalizeId(id)}`, staffId, CASE_TTL_MS),
    releaseClaim: (id) => store.delete(`case-claim:${normalizeId(id)}`),
  };
}

/** Staff may type `c-1a2b3c` or `1A2B3C`; ids are stored as `C-1A2B3C`. */
export function normalizeId(id: string): string {
  const bare = id.trim().toUpperCase().replace(/^C-?/, '');
  return `C-${bare}`;
}
