/**
 * Outcomes: what the bot resolves, per rejection reason, what customers think of it, and what it did not
 * understand. Counted through the store's indexes (one member per conversation and stage, so a stage
 * counts a conversation once, and several instances never lose a count), without any transcript text.
 * The messages it did not understand are kept apart, redacted, for a limited time, and grouped by
 * similarity when a report is made.
 */
import { randomUUID } from 'node:crypto';
import { REJECTION_IDS } from '../content/ids.js';
import type { ConversationStore, IndexEntry, Logger } from '../core/ports.js';
import type { ConversationState } from '../dialogue/state.js';
import { termsOf } from '../nlu/retrieval.js';

/** The funnel of one reason, in order: each stage counts conversations. */
/** `recognised`: stated surely in what the customer wrote; `suspected`: only guessed, offered for the customer to confirm. */
export const STAGES = ['recognised', 'suspected', 'walked', 'details', 'summary', 'confirmed', 'escalated'] as const;
export type Stage = (typeof STAGES)[number];
export type Rating = 'helpful' | 'not_helpful';

/** A walkthrough started this long before a report and neither finished nor handed over counts as abandoned. */
const ABANDONED_AFTER_MS = 24 * 3600_000;
/** Messages kept for the knowledge-gap report are forgotten after this long. */
export const GAP_RETENTION_MS = 90 * 24 * 3600_000;
/** At most this many are kept in the report's reach (the newest). */
const MAX_GAPS = 5000;
const MAX_MEMBERS = 1_000_000;
/** Two messages whose meaningful words overlap this much (cosine) are one group. */
const GROUP_SIMILARITY = 0.4;

export interface TurnOutcome {
  conversationKey: string;
  at: Date;
  previous: ConversationState;
  next: ConversationState;
  /** Reasons the turn's text stated surely. */
  recognised: string[];
  /** A case was opened this turn. */
  escalated: boolean;
  /** What the turn understood, for the gap report: an intent id and its confidence. */
  intent: string | null;
  confidence: number;
  /** The customer's words as kept in the transcript (redacted), or undefined for a press. */
  text: string | undefined;
  rating?: Rating | undefined;
  /** The customer said the resubmitted order went through (the check-in): each finished walkthrough is confirmed. */
  confirmedFixed?: boolean;
}

export interface GapEntry {
  at: string;
  kind: 'out_of_scope' | 'unsure' | 'escalated';
  text: string;
  nearest: string | null;
}

export interface GapGroup {
  count: number;
  /** The words the group's messages share most. */
  label: string;
  examples: string[];
  /** Every message of the group (at most 50), for turning it into training examples. */
  texts: string[];
  nearest: string | null;
  kinds: Record<string, number>;
}

export interface OutcomeReport {
  /**
   * Per reason, conversations at each stage, and `abandoned`: walked through, started more than a day
   * before the report, and neither given the summary nor handed to a person.
   */
  funnel: Array<{ reason: string; abandoned: number } & Record<Stage, number>>;
  satisfaction: Record<Rating, number>;
  /** Conversations that reached each stage, by day (YYYY-MM-DD, UTC), any reason. */
  volume: Array<{ day: string; recognised: number; summary: number; escalated: number }>;
  gaps: GapGroup[];
}

const stageIndex = (stage: Stage, reason: string) => `outcome:${stage}:${reason}`;
const ratingIndex = (rating: Rating) => `outcome:rating:${rating}`;
const GAP_INDEX = 'outcome:gaps';
const DAYS_INDEX = 'outcome:days';
const dayIndex = (day: string, stage: Stage) => `outcome:day:${day}:${stage}`;

/** The flows a state holds: the one under way, the paused ones and the finished ones. */
function flowsOf(state: ConversationState) {
  return [...(state.flow ? [state.flow] : []), ...state.suspended, ...state.completed];
}

export function createOutcomes(deps: { store: ConversationStore; logger: Logger }) {
  const { store } = deps;

  /** The index entries a stage reached by a conversation adds: the stage per reason, and the day's volume. */
  function counted(stage: Stage, reason: string, conversationKey: string, at: Date): IndexEntry[] {
    // Volume over time: the day's own index, and the day in the list of days.
    const day = at.toISOString().slice(0, 10);
    return [
      { index: stageIndex(stage, reason), member: conversationKey, score: at.getTime() },
      { index: dayIndex(day, stage), member: conversationKey, score: at.getTime() },
      { index: DAYS_INDEX, member: day, score: Date.parse(day) },
    ];
  }

  return {
    /**
     * What one turn changed, as index entries: written with the turn's own save (one transaction on
     * SQLite, one round trip on Redis), so the funnel never counts a turn whose state was not kept.
     */
    entriesFor(turn: TurnOutcome): IndexEntry[] {
      const { conversationKey, at, previous, next } = turn;
      const entries: IndexEntry[] = [];
      const count = (stage: Stage, reason: string) => entries.push(...counted(stage, reason, conversationKey, at));
      // Each walkthrough by its start: how many answers it had before this turn (absent: it is new).
      const answersBefore = new Map(flowsOf(previous).map((f) => [`${f.id}@${f.startedAt}`, Object.keys(f.slots).length]));
      const flows = flowsOf(next);
      // A reason only guessed (the conversation calls it suspected) is counted as suspected, not recognised.
      for (const reason of turn.recognised) if (!next.suspected.includes(reason)) count('recognised', reason);
      for (const reason of next.suspected) if (!previous.suspected.includes(reason)) count('suspected', reason);
      for (const flow of flows) {
        const before = answersBefore.get(`${flow.id}@${flow.startedAt}`);
        if (before === undefined) count('walked', flow.id);
        // Only the turn that gives a walkthrough its first answer writes: the others change nothing.
        if (Object.keys(flow.slots).length > 0 && !before) count('details', flow.id);
      }
      const finishedBefore = new Set(previous.completed.map((f) => `${f.id}@${f.startedAt}`));
      for (const flow of next.completed) if (!finishedBefore.has(`${flow.id}@${flow.startedAt}`)) count('summary', flow.id);
      if (turn.escalated) {
        const reasons = [...new Set(flows.map((f) => f.id))];
        for (const reason of reasons.length > 0 ? reasons : ['none']) count('escalated', reason);
      }
      if (turn.confirmedFixed) for (const flow of next.completed) count('confirmed', flow.id);
      if (turn.rating) entries.push({ index: ratingIndex(turn.rating), member: conversationKey, score: at.getTime() });
      // Each index and member once: the day's list holds the day a single time however many stages it counts.
      return [...new Map(entries.map((e) => [`${e.index}\u0000${e.member}`, e])).values()];
    },

    /** After the turn is saved: a knowledge gap it showed (redacted text, kept 90 days). Never throws. */
    async afterSave(turn: TurnOutcome): Promise<void> {
      try {
        const gap = gapKind(turn);
        if (gap && turn.text) {
          const id = `${turn.at.getTime().toString(36)}-${randomUUID()}`;
          const entry: GapEntry = { at: turn.at.toISOString(), kind: gap, text: turn.text.slice(0, 500), nearest: turn.intent };
          await store.set(`${GAP_INDEX}:${id}`, entry, GAP_RETENTION_MS);
          await store.indexAdd(GAP_INDEX, id, turn.at.getTime());
        }
      } catch (error) {
        deps.logger.warn({ err: error, conversation: turn.conversationKey }, 'outcomes: could not record a knowledge gap');
      }
    },

    async report(options: { now?: Date } = {}): Promise<OutcomeReport> {
      const all = (index: string) => store.indexDue(index, Number.MAX_SAFE_INTEGER, MAX_MEMBERS);
      const dayAgo = (options.now ?? new Date()).getTime() - ABANDONED_AFTER_MS;
      const funnel: OutcomeReport['funnel'] = [];
      for (const reason of [...REJECTION_IDS, 'none']) {
        const row = { reason, abandoned: 0 } as OutcomeReport['funnel'][number];
        for (const stage of STAGES) row[stage] = (await all(stageIndex(stage, reason))).length;
        if (row.walked > 0) {
          const ended = new Set([...(await all(stageIndex('summary', reason))), ...(await all(stageIndex('escalated', reason)))]);
          row.abandoned = (await store.indexDue(stageIndex('walked', reason), dayAgo, MAX_MEMBERS)).filter((c) => !ended.has(c)).length;
        }
        if (STAGES.some((stage) => row[stage] > 0)) funnel.push(row);
      }
      const satisfaction = { helpful: (await all(ratingIndex('helpful'))).length, not_helpful: (await all(ratingIndex('not_helpful'))).length };
      const volume: OutcomeReport['volume'] = [];
      for (const day of await all(DAYS_INDEX)) {
        volume.push({
          day,
          recognised: (await all(dayIndex(day, 'recognised'))).length,
          summary: (await all(dayIndex(day, 'summary'))).length,
          escalated: (await all(dayIndex(day, 'escalated'))).length,
        });
      }
      const entries: GapEntry[] = [];
      for (const id of await store.indexMembers(GAP_INDEX, MAX_GAPS)) {
        const entry = (await store.get(`${GAP_INDEX}:${id}`)) as GapEntry | undefined;
        if (entry) entries.push(entry);
        else await store.indexRemove(GAP_INDEX, id);
      }
      return { funnel, satisfaction, volume, gaps: groupGaps(entries) };
    },
  };
}

function gapKind(turn: TurnOutcome): GapEntry['kind'] | undefined {
  if (turn.text === undefined || turn.previous.flow) return undefined;
  if (turn.escalated) return 'escalated';
  if (turn.recognised.length > 0) return undefined;
  if (turn.intent === 'out_of_scope') return 'out_of_scope';
  if (turn.intent === null || turn.confidence < 0.5) return termsOf(turn.text).length >= 2 ? 'unsure' : undefined;
  return undefined;
}

/** Messages grouped greedily by the cosine of their meaningful words, largest groups first. */
export function groupGaps(entries: GapEntry[]): GapGroup[] {
  const groups: Array<{ vector: Map<string, number>; entries: GapEntry[] }> = [];
  const vectorOf = (text: string) => {
    const v = new Map<string, number>();
    for (const t of termsOf(text)) v.set(t, (v.get(t) ?? 0) + 1);
    return v;
  };
  const cosine = (a: Map<string, number>, b: Map<string, number>) => {
    let dot = 0;
    for (const [t, x] of a) dot += x * (b.get(t) ?? 0);
    const norm = (v: Map<string, number>) => Math.sqrt([...v.values()].reduce((s, x) => s + x * x, 0)) || 1;
    return dot / (norm(a) * norm(b));
  };
  for (const entry of entries) {
    const vector = vectorOf(entry.text);
    const home = groups.find((g) => cosine(g.vector, vector) >= GROUP_SIMILARITY);
    if (home) {
      home.entries.push(entry);
      for (const [t, x] of vector) home.vector.set(t, (home.vector.get(t) ?? 0) + x);
    } else groups.push({ vector, entries: [entry] });
  }
  return groups
    .map((g) => {
      const nearest = mostCommon(g.entries.map((e) => e.nearest ?? 'none'));
      const kinds: Record<string, number> = {};
      for (const e of g.entries) kinds[e.kind] = (kinds[e.kind] ?? 0) + 1;
      const label = [...g.vector]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 4)
        .map(([t]) => t)
        .join(' ');
      const texts = [...new Set(g.entries.map((e) => e.text))];
      return { count: g.entries.length, label, examples: texts.slice(0, 3), texts: texts.slice(0, 50), nearest: nearest === 'none' ? null : nearest, kinds };
    })
    .sort((a, b) => b.count - a.count);
}

function mostCommon(values: string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'none';
}

export type Outcomes = ReturnType<typeof createOutcomes>;

/**
 * A group of messages proposed as training examples of `intent`, for review: a file under
 * intents/review/ (which the bot does not load). Whoever reviews it moves the examples they agree
 * with into intents/<intent>.yaml; `npm test` then checks the content and the held-out figures.
 */
export function proposalYaml(group: GapGroup, intent: string, madeAt: Date): string {
  const quoted = (text: string) => JSON.stringify(text.replace(/\s+/g, ' ').trim());
  return [
    `# Proposed ${madeAt.toISOString().slice(0, 10)} from the outcome report: ${group.count} message(s) about "${group.label}".`,
    `# Review each line; move the ones that truly mean ${intent} into intents/${intent}.yaml (examples), then delete this file.`,
    `intent: ${intent}`,
    'examples:',
    ...group.texts.map((t) => `  - ${quoted(t)}`),
    '',
  ].join('\n');
}
