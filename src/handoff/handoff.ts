/**
 * Staff handoff: opening a case with the whole context, the staff commands (one channel-neutral
 * handler for Slack, Discord and the terminal), and what changes in the customer's conversation when a
 * case is claimed, answered, handed back or closed. Every command checks who is asking, every time.
 */
import type { Content } from '../content/load-content.js';
import type { Clock, Logger, Outbox } from '../core/ports.js';
import { neutralizeMentions, redactSecrets } from '../core/redact.js';
import type { Actor, InboundMessage, Reply, StaffCommand } from '../core/types.js';
import type { OutcomeReport } from '../outcomes/outcomes.js';
import { displayValue, walk, type FlowState } from '../dialogue/flow-engine.js';
import { collectSummary } from '../dialogue/summary.js';
import type { ConversationState, HandoffState } from '../dialogue/state.js';
import { renderCaseFile, type CaseFile, type TranscriptEntry } from './case-file.js';
import { normalizeId, type CaseStore } from './case-store.js';
import type { StaffPolicy } from './staff-policy.js';

export type EscalationTrigger = CaseFile['trigger'];

export interface HandoffDeps {
  cases: CaseStore;
  outbox: Outbox;
  policy: StaffPolicy;
  content: Content;
  clock: Clock;
  logger: Logger;
  company: string;
  supportEmail: string;
  businessHours: string;
  claimTimeoutMs: number;
  /** What the bot resolves, for the short version of the report in `stats`. */
  outcomes?: { report(options?: { now?: Date }): Promise<OutcomeReport> } | undefined;
  /** Told about each case opened (the server counts hand-offs for /metrics). */
  onCaseOpened?: ((file: { channel: string; trigger: string }) => void) | undefined;
}

/** What a staff command changes in a customer's conversation; the bot applies it to the saved state. */
export interface ConversationChange {
  channel: string;
  conversationKey: string;
  handoff: HandoffState | null;
  /** Said to the customer in their conversation. */
  tellCustomer: Reply[];
  /** The bot takes over again: repeat where the walkthrough was. */
  resumeBot: boolean;
  /** The case is over: the customer is asked, with one tap, whether the help was helpful (once per conversation). */
  askRating?: boolean;
}

export interface StaffOutcome {
  replies: Reply[];
  escalation: { id: string } | null;
  /** The command did what was asked (a refusal, a usage hint or a lost claim race is not ok). */
  ok: boolean;
  change?: ConversationChange;
}

const USAGE = [
  'queue: open cases, oldest first (a case can be named by its id, "next" for the oldest unclaimed, or "mine")',
  'show <case>: the case file',
  'claim <case>: take the case (the bot goes quiet in that conversation)',
  'reply <case> <text>: answer the customer in their conversation',
  'note <case> <text>: an internal note',
  'handback <case>: the bot resumes, telling the customer',
  'close <case> <resolution>: close the case',
  'stats: open, claimed, closed today, median time to claim, top reasons',
];
const MAX_TEXT = 2000;
/** A case keeps at most this many transcript lines (the latest). */
const CASE_TRANSCRIPT_LIMIT = 300;

export function createHandoff(deps: HandoffDeps) {
  const { cases, outbox, policy, content, clock, logger } = deps;
  const text = (t: string): Reply => ({ kind: 'text', text: t });
  const now = () => clock.now().toISOString();
  const titleOf = (id: string) => content.articles.get(id)?.title ?? id;

  return {
    /** Opens a case for a conversation, with everything known so far, and tells staff. */
    async openCase(input: { message: InboundMessage; state: ConversationState; trigger: EscalationTrigger; blocker: string }): Promise<CaseFile> {
      const { message, state } = input;
      const flows = [...state.completed, ...state.suspended, ...(state.flow ? [state.flow] : [])];
      const suspected = [...new Set([...state.suspected, ...(state.pendingReading?.possible ?? [])])];
      const file: CaseFile = {
        v: 1,
        id: cases.newId(),
        status: 'open',
        channel: message.channel,
        conversationKey: message.conversationKey,
        customer: { id: message.actor.id, ...(message.actor.displayName ? { displayName: message.actor.displayName } : {}) },
        trigger: input.trigger,
        blocker: redactSecrets(input.blocker),
        reasons: [...new Set([...flows.map((f) => f.id), ...state.queue, ...(state.pendingReading?.reasons ?? []), ...suspected])],
        suspectedReasons: suspected,
        facts: state.facts,
        language: state.language,
        answers: Object.fromEntries(flows.map((f) => [f.id, answersOf(f)])),
        stepsDone: Object.fromEntries(flows.map((f) => [f.id, stepsOf(f)])),
        summary: summaryLines(flows),
        transcript: state.transcript.map((t) => ({ ...t, text: redactSecrets(t.text) })),
        notes: [],
        actions: [{ at: now(), by: 'portpilot', action: 'opened', detail: input.trigger }],
        createdAt: now(),
        claimedBy: null,
        claimedAt: null,
        closedAt: null,
        resolution: null,
        unclaimedNoticeSent: false,
      };
      await cases.create(file);
      deps.onCaseOpened?.({ channel: file.channel, trigger: input.trigger });
      await outbox.toStaff({
        kind: 'case_opened',
        caseId: file.id,
        text: `New case ${file.id} from ${file.channel}${file.language === 'es' ? ' (customer writes in Spanish: es)' : ''}: ${file.blocker} Reasons: ${file.reasons.map((r) => `${titleOf(r)}${file.suspectedReasons.includes(r) ? ' (suspected)' : ''}`).join('; ') || 'none yet'}.`,
      });
      logger.info({ caseId: file.id, trigger: file.trigger, channel: file.channel }, 'case opened');
      return file;
    },

    /** A customer's message on a claimed case: onto the case file and to the person who claimed it. */
    async relayFromCustomer(caseId: string, entry: TranscriptEntry): Promise<void> {
      const file = await cases.get(caseId);
      if (!file) return;
      file.transcript = [...file.transcript, entry].slice(-CASE_TRANSCRIPT_LIMIT);
      await cases.save(file);
      await outbox.toStaff({
        kind: 'customer_message',
        caseId,
        text: `${file.id}, customer: ${neutralizeMentions(entry.text)}`,
        ...(file.claimedBy ? { to: { channel: staffChannelOf(file.claimedBy), staffId: staffIdOf(file.claimedBy) } } : {}),
      });
    },

    /** While a case waits for a person: keep its transcript current, and once, tell the customer what to expect. */
    async whileWaiting(caseId: string, entries: TranscriptEntry[]): Promise<Reply[]> {
      const file = await cases.get(caseId);
      if (file?.status !== 'open') return [];
      file.transcript = [...file.transcript, ...entries].slice(-CASE_TRANSCRIPT_LIMIT);
      const replies = await unclaimedNotice(file);
      await cases.save(file);
      return replies;
    },

    /**
     * Tells every customer whose case nobody claimed in time what to expect, without waiting for them to
     * write again. Run periodically by the server; each case is told once.
     */
    async sweepUnclaimed(): Promise<number> {
      let told = 0;
      for (const file of await cases.list()) {
        if (file.status !== 'open' || file.unclaimedNoticeSent) continue;
        const replies = await unclaimedNotice(file);
        if (replies.length === 0) continue;
        await cases.save(file);
        await outbox
          .toConversation(file.channel, file.conversationKey, replies)
          .catch((err: unknown) => logger.error({ err, caseId: file.id }, 'could not tell the customer about the wait'));
        told++;
      }
      return told;
    },

    /** Runs one staff command after checking, every time, that the caller is staff. */
    async runStaffCommand(message: StaffCommand): Promise<StaffOutcome> {
      const raw = (message.text ?? '').trim();
      if (!policy.isStaff(message.actor, message.channel)) {
        logger.warn({ channel: message.channel, actor: message.actor.id, command: raw.split(/\s+/)[0]?.slice(0, 20) }, 'staff command refused: not staff');
        return { replies: [text('Sorry, staff commands are only for the support team. If you need help, just tell me about your port order.')], escalation: null, ok: false };
      }
      const staff = `${message.channel}:${message.actor.id}`;
      const [command = '', caseArg = '', ...rest] = raw.replace(/^\/?(portpilot-staff|staff)\s*/i, '').split(/\s+/);
      const body = redactSecrets(rest.join(' ').slice(0, MAX_TEXT));
      switch (command.toLowerCase()) {
        case 'queue':
          return queue();
        case 'stats':
          return stats();
        case 'show':
        case 'claim':
        case 'reply':
        case 'note':
        case 'handback':
        case 'close': {
          if (!caseArg) return { replies: [text(`Which case? Usage: ${USAGE.find((u) => u.startsWith(command.toLowerCase()))}`)], escalation: null, ok: false };
          const found = await findCase(caseArg, staff);
          if (typeof found === 'string') return { replies: [text(found)], escalation: null, ok: false };
          const file = found;
          return onCase(command.toLowerCase(), file, staff, message.actor, body);
        }
        default:
          return { replies: [{ kind: 'steps', title: 'Staff commands', steps: USAGE }], escalation: null, ok: false };
      }
    },
  };

  /** Once per case, after the claim timeout: what the customer should expect, and a nudge to staff. */
  async function unclaimedNotice(file: CaseFile): Promise<Reply[]> {
    if (file.unclaimedNoticeSent || clock.now().getTime() - Date.parse(file.createdAt) <= deps.claimTimeoutMs) return [];
    file.unclaimedNoticeSent = true;
    await outbox.toStaff({ kind: 'case_unclaimed', caseId: file.id, text: `Case ${file.id} has waited more than ${Math.round(deps.claimTimeoutMs / 60000)} minutes for a claim.` });
    return [
      text(
        `Nobody from ${deps.company} has picked up case ${file.id} yet, sorry. The team works ${deps.businessHours} and will answer here; you can also e-mail ${deps.supportEmail} and mention ${file.id}. Meanwhile I can keep helping.`,
      ),
    ];
  }

  /**
   * A case by id, or by shorthand: `next` (the oldest case nobody has claimed) or `mine` (the one case
   * the caller has claimed). A string is the polite reason none was found.
   */
  async function findCase(arg: string, staff: string): Promise<CaseFile | string> {
    const shorthand = arg.toLowerCase();
    if (shorthand === 'next' || shorthand === 'mine') {
      const all = (await cases.list()).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
      const matches = shorthand === 'next' ? all.filter((c) => c.status === 'open') : all.filter((c) => c.status === 'claimed' && c.claimedBy === staff);
      if (shorthand === 'next') return matches[0] ?? 'No case is waiting to be claimed.';
      if (matches.length === 1) return matches[0]!;
      return matches.length === 0 ? 'You have no claimed case.' : `You have ${matches.length} claimed cases (${matches.map((c) => c.id).join(', ')}); name one.`;
    }
    return (await cases.get(arg)) ?? `There is no case ${normalizeId(arg)}. Type "queue" to see open cases.`;
  }

  async function queue(): Promise<StaffOutcome> {
    const open = (await cases.list()).filter((c) => c.status === 'open' || c.status === 'claimed').sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    if (open.length === 0) return { replies: [text('No open cases.')], escalation: null, ok: true };
    const lines = open.map(
      (c) =>
        `${c.id} · ${c.status}${c.claimedBy ? ` by ${c.claimedBy}` : ''} · waiting ${minutesSince(c.createdAt)} min · ${c.channel} · ${c.reasons.map(titleOf).join('; ') || 'no reason yet'} · ${c.blocker}`,
    );
    return { replies: [{ kind: 'steps', title: `Open cases (${open.length}), oldest first`, steps: lines }], escalation: null, ok: true };
  }

  /** The outcome report in three lines (the full one: npm run report). */
  async function outcomeLines(): Promise<string[]> {
    const report = await deps.outcomes?.report({ now: clock.now() }).catch(() => undefined);
    if (!report) return [];
    const sum = (key: 'recognised' | 'summary' | 'confirmed' | 'escalated' | 'abandoned') => report.funnel.reduce((n, row) => n + row[key], 0);
    const rated = report.satisfaction.helpful + report.satisfaction.not_helpful;
    return [
      `Walkthroughs: ${sum('recognised')} reasons recognised, ${sum('summary')} fix summaries given (${sum('confirmed')} confirmed fixed), ${sum('escalated')} handed to a person, ${sum('abandoned')} left before the end`,
      `Rated helpful: ${rated === 0 ? 'no ratings yet' : `${report.satisfaction.helpful} of ${rated}`}`,
      `Not understood: ${report.gaps.reduce((n, g) => n + g.count, 0)} messages in ${report.gaps.length} groups${report.gaps[0] ? ` (most: "${report.gaps[0].label}", ${report.gaps[0].count})` : ''}`,
    ];
  }

  async function stats(): Promise<StaffOutcome> {
    const all = await cases.list();
    const today = clock.now().toISOString().slice(0, 10);
    const claimTimes = all
      .filter((c) => c.claimedAt)
      .map((c) => Date.parse(c.claimedAt!) - Date.parse(c.createdAt))
      .sort((a, b) => a - b);
    const median = claimTimes.length === 0 ? null : claimTimes[Math.floor(claimTimes.length / 2)]!;
    const reasonCounts = new Map<string, number>();
    for (const c of all) for (const r of c.reasons) reasonCounts.set(r, (reasonCounts.get(r) ?? 0) + 1);
    const top = [...reasonCounts].sort((a, b) => b[1] - a[1]).slice(0, 3);
    return {
      replies: [
        {
          kind: 'steps',
          title: 'Case statistics',
          steps: [
            `Open: ${all.filter((c) => c.status === 'open').length}`,
            `Claimed: ${all.filter((c) => c.status === 'claimed').length}`,
            `Closed today: ${all.filter((c) => c.status === 'closed' && c.closedAt?.startsWith(today)).length}`,
            `Median time to claim: ${median === null ? 'no claims yet' : `${Math.round(median / 60000)} min`}`,
            `Top reasons: ${top.map(([r, n]) => `${titleOf(r)} (${n})`).join('; ') || 'none yet'}`,
            ...(await outcomeLines()),
          ],
        },
      ],
      escalation: null,
      ok: true,
    };
  }

  async function onCase(command: string, file: CaseFile, staff: string, actor: Actor, body: string): Promise<StaffOutcome> {
    const escalation = { id: file.id };
    const record = (action: string, detail?: string) => file.actions.push({ at: now(), by: staff, action, ...(detail ? { detail } : {}) });
    const name = actor.displayName ?? 'A person';
    if (command === 'show') return { replies: [{ kind: 'steps', title: `Case ${file.id}`, steps: renderCaseFile(file) }], escalation, ok: true };
    if (file.status === 'closed') return { replies: [text(`Case ${file.id} is closed (${file.resolution ?? 'no resolution given'}).`)], escalation, ok: false };

    if (command === 'claim') {
      if (file.claimedBy === staff && file.status === 'claimed') return { replies: [text(`You already have ${file.id}.`)], escalation, ok: true };
      if (!(await cases.claim(file.id, staff))) {
        const current = await cases.get(file.id);
        return { replies: [text(`${file.id} is already claimed by ${current?.claimedBy ?? 'someone else'}.`)], escalation, ok: false };
      }
      file.status = 'claimed';
      file.claimedBy = staff;
      file.claimedAt = now();
      record('claimed');
      await cases.save(file);
      await outbox.toStaff({
        kind: 'case_claimed',
        caseId: file.id,
        text: `${file.id} was claimed by ${staff}.`,
        by: { channel: staffChannelOf(staff), staffId: staffIdOf(staff), ...(actor.displayName ? { name: actor.displayName } : {}) },
      });
      return {
        replies: [
          text(
            `You have claimed ${file.id}. The bot is quiet in that conversation; the customer's messages come to you. Use "reply ${file.id} <text>", then "handback" or "close".`,
          ),
        ],
        escalation,
        ok: true,
        change: {
          channel: file.channel,
          conversationKey: file.conversationKey,
          handoff: { caseId: file.id, status: 'claimed', claimedBy: staff, openedAt: file.createdAt },
          tellCustomer: [text(`${name} from ${deps.company} has joined (case ${file.id}) and will take it from here.`)],
          resumeBot: false,
        },
      };
    }

    if (command === 'note') {
      if (!body) return { replies: [text('Usage: note <case> <text>')], escalation, ok: false };
      file.notes.push({ at: now(), by: staff, text: body });
      record('note');
      await cases.save(file);
      return { replies: [text(`Note added to ${file.id}.`)], escalation, ok: true };
    }

    // reply, handback and close act on the customer's conversation: only the person who claimed it.
    if (file.status === 'claimed' && file.claimedBy !== staff) {
      return { replies: [text(`${file.id} is claimed by ${file.claimedBy}; only they can ${command} it.`)], escalation, ok: false };
    }
    if (command === 'reply') {
      if (file.status !== 'claimed') return { replies: [text(`Claim ${file.id} first ("claim ${file.id}").`)], escalation, ok: false };
      if (!body) return { replies: [text('Usage: reply <case> <text>')], escalation, ok: false };
      file.transcript = [...file.transcript, { at: now(), from: 'staff' as const, text: body }].slice(-CASE_TRANSCRIPT_LIMIT);
      record('replied');
      await cases.save(file);
      await outbox.toConversation(file.channel, file.conversationKey, [text(neutralizeMentions(body))]);
      return { replies: [text(`Sent to the customer on ${file.channel}.`)], escalation, ok: true };
    }
    if (command === 'handback') {
      if (file.status !== 'claimed') return { replies: [text(`${file.id} is not claimed; nothing to hand back.`)], escalation, ok: false };
      file.status = 'handed_back';
      record('handed back');
      return releaseToBot(
        file,
        { askRating: false },
        `${file.id} was handed back to the bot by ${staff}.`,
        `Handed ${file.id} back to the bot.`,
        `You're back with portpilot. Thanks for your patience with ${deps.company}'s team.`,
      );
    }
    // close
    if (!body) return { replies: [text('Usage: close <case> <resolution>')], escalation, ok: false };
    file.status = 'closed';
    file.closedAt = now();
    file.resolution = body;
    record('closed', body);
    return releaseToBot(
      file,
      { askRating: true },
      `${file.id} was closed by ${staff}: ${body}`,
      `Closed ${file.id}: ${body}`,
      `Your case ${file.id} is closed: ${body}. If anything else comes up, just write here.`,
    );
  }

  /** Ends a person's hold on a conversation (handback or close): saved, staff told, and the bot resumes. */
  async function releaseToBot(file: CaseFile, how: { askRating: boolean }, staffNotice: string, staffReply: string, customerText: string): Promise<StaffOutcome> {
    await cases.save(file);
    await cases.releaseClaim(file.id);
    await outbox.toStaff({ kind: 'case_closed', caseId: file.id, text: staffNotice });
    return {
      replies: [text(staffReply)],
      escalation: { id: file.id },
      ok: true,
      change: { channel: file.channel, conversationKey: file.conversationKey, handoff: null, tellCustomer: [text(customerText)], resumeBot: true, askRating: how.askRating },
    };
  }

  function minutesSince(iso: string): number {
    return Math.max(0, Math.round((clock.now().getTime() - Date.parse(iso)) / 60000));
  }

  function answersOf(flowState: FlowState): Record<string, string> {
    const flow = content.intents.get(flowState.id)?.flow;
    return Object.fromEntries(Object.entries(flowState.slots).map(([slot, value]) => [slot, redactSecrets(displayValue(value, flow, slot))]));
  }

  function stepsOf(flowState: FlowState): string[] {
    const flow = content.intents.get(flowState.id)?.flow;
    return flow ? walk(flow, flowState).path : [];
  }

  function summaryLines(flows: FlowState[]): string[] {
    if (flows.length === 0) return [];
    const s = collectSummary(content, flows);
    return [
      ...s.carrier.map((c) => `At the old carrier: ${c}`),
      ...s.changes.map((c) => `Change: ${c.field}: ${c.value}`),
      ...s.attach.map((a) => `Attach: ${a}`),
      ...s.handoffs.map((h) => `Needs a person: ${h}`),
    ].map(redactSecrets);
  }
}

export type Handoff = ReturnType<typeof createHandoff>;

/** Staff ids are `<channel>:<user id>`, so notices for one person reach them on their own channel. */
function staffChannelOf(staff: string): string {
  return staff.split(':')[0] ?? '';
}
function staffIdOf(staff: string): string {
  return staff.split(':').slice(1).join(':');
}
