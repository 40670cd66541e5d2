/**
 * One conversation turn: given the state before a message, decide the replies and the state after it.
 * Free text is understood by the classifier; inside a walkthrough it is first read as the answer to
 * the current question, then as a repair move (back, skip, why, start over, cancel, a correction, a
 * different reason). Nothing here knows which channel the message came from.
 */
import type { Content } from '../content/load-content.js';
import type { Flow, FlowStep } from '../content/flow-schema.js';
import { isRejectionId } from '../content/ids.js';
import type { ArticleSectionId } from '../content/schema.js';
import type { Branding, Choice, InboundMessage, Reply } from '../core/types.js';
import type { EntityExtractor } from '../nlu/extract.js';
import { isClearlyFrustrated } from '../nlu/frustration.js';
import type { Understander, Understanding } from '../nlu/understand.js';
import { decodeChoiceId, encodeChoiceId, type ChoiceAction } from './choice-id.js';
import { forgetShownAfter, goBack, interpolate, nextEachItem, startFlow, walk, type FlowState } from './flow-engine.js';
import { inspectInput } from './input.js';
import { lastSeven, listSlot, matchChoice, parseSlot, type SlotValue } from './slots.js';
import type { ConversationState } from './state.js';
import { collectSummary, summaryReply } from './summary.js';
import { say, type WordingKey } from './wording.js';

export interface ConversationDeps {
  content: Content;
  understander: Understander;
  extractor: EntityExtractor;
  branding: Branding;
  /** A walkthrough idle for longer than this is closed politely on the next message. */
  flowTtlMs: number;
}

/** A person is needed: why, and what triggered it. The bot opens (or joins) the case. */
export interface EscalationRequest {
  trigger: 'asked' | 'flow' | 'misses' | 'frustration';
  blocker: string;
}

export interface Turn {
  escalate?: EscalationRequest;
  replies: Reply[];
  intent: string | null;
  confidence: number;
  state: ConversationState;
  inputHadSecret: boolean;
  press: 'accepted' | 'refused' | null;
}

/** Reasons offered on the menu, most common first. */
const MENU_REASONS = [
  'info_mismatch',
  'multiple_accounts',
  'remaining_services',
  'pin_required',
  'freeze',
  'hunt_group',
  'google_voice_unlock',
  'inactive_number',
  'pending_order',
] as const;

/** Inside a walkthrough, a conversation intent this sure of itself beats reading the text as an answer. */
const CONTROL_CONFIDENCE = 0.5;
/** A different reason this sure of itself, inside a walkthrough, is offered as a switch. */
const SWITCH_CONFIDENCE = 0.7;
/** Free-form answers (text, lists) give way to a conversation intent only when it is this sure. */
const FREE_FORM_CONTROL_CONFIDENCE = 0.8;
const MISSES_BEFORE_PERSON = 3;
const CORRECTION = /^\s*(?:actually|correction|sorry|oops|wait|i meant|no,? (?:it'?s|it is|the))\b[,:]?\s*/i;
const FREE_FORM_TYPES = new Set(['text', 'item_list']);
/** On an optional question, "I don't know" is a skip. */
const DONT_KNOW = /^\s*(?:i\s+)?(?:don'?t know|do not know|not sure|no idea|dunno|unknown|n\/a|none|skip)\b/i;

export function createConversation(deps: ConversationDeps) {
  const { content, understander, extractor, branding } = deps;
  const fields: Record<string, string> = { company: branding.company, portal: branding.portal, support_email: branding.support_email };
  const titleOf = (intent: string) => content.articles.get(intent)?.title ?? intent;
  const flowOf = (id: string): Flow => content.intents.get(id)!.flow!;

  return {
    /**
     * One turn. With `resume`, no message is read: the bot picks the conversation up again where it was
     * (after a person hands it back), repeating the current question or offering the menu.
     */
    respond(previous: ConversationState, message: InboundMessage, now: Date, mode: 'message' | 'resume' = 'message'): Turn {
      const turn = previous.turn + 1;
      const t: Turn = { replies: [], intent: null, confidence: 0, state: structuredClone(previous), inputHadSecret: false, press: null };
      let offersChanged = false;

      const reply = (r: Reply) => {
        if (r.kind === 'choices') offersChanged = true;
        t.replies.push(r);
      };
      const text = (key: WordingKey, extra: Record<string, string> = {}) => reply({ kind: 'text', text: say(key, { ...fields, ...extra }) });
      const choice = (action: ChoiceAction, label: string): Choice => ({ id: encodeChoiceId(turn, action), label });

      // The message answered a question of a walkthrough that has expired: close it, don't guess.
      if (mode === 'resume') {
        if (t.state.flow) reprompt();
        else offerMenu(say('menuPrompt'));
      } else if (expireIdleFlow()) offerMenu(say('afterExpiry'));
      else if (message.choice !== undefined) pressChoice(message.choice);
      else readText(message.text ?? '');

      t.state.turn = turn;
      if (offersChanged) t.state.offered = t.replies.flatMap((r) => (r.kind === 'choices' ? r.choices : []));
      return t;

      // ---------------------------------------------------------------- input

      function readText(raw: string): void {
        const input = inspectInput(raw);
        if (input.kind === 'empty') return text('emptyMessage');
        if (input.kind === 'binary') return text('binaryMessage');
        t.inputHadSecret = input.hadSecret;
        if (input.hadSecret) reply({ kind: 'text', text: say('secretWarning', fields), private: true });
        if (input.truncated) text('longMessage');
        if (isClearlyFrustrated(input.text)) {
          text('frustrated');
          t.escalate = { trigger: 'frustration', blocker: 'The customer sounds clearly frustrated.' };
        }
        // A number or a label typed in answer to offered choices selects that choice (text-only channels).
        const typed = matchChoice(previous.offered, input.text);
        if (typed) return pressChoice(typed.id);
        if (t.state.flow) return readFlowText(input.text);
        return readFreeText(input.text);
      }

      function pressChoice(id: string): void {
        const decoded = decodeChoiceId(id);
        const isOffered = previous.offered.some((c) => c.id === id);
        if (!decoded || !isOffered) {
          t.press = 'refused';
          text(!decoded || decoded.turn === previous.turn ? 'unknownChoice' : 'staleChoice');
          return reprompt();
        }
        t.press = 'accepted';
        act(decoded.action);
      }

      function understand(input: string): Understanding {
        const understanding = understander.understand(input);
        t.intent = understanding.intent;
        t.confidence = understanding.confidence;
        return understanding;
      }

      // ---------------------------------------------------------------- outside a walkthrough

      function readFreeText(input: string): void {
        const u = understand(input);
        switch (u.kind) {
          case 'rejection':
            t.state.misses = 0;
            return startChecklist(u.reasons);
          case 'ambiguous':
            t.state.misses = 0;
            return reply({ kind: 'choices', text: say('ambiguous'), choices: u.options.map((o) => choice({ kind: 'reason', intent: o.intent }, titleOf(o.intent))) });
          case 'out_of_scope':
            // Not about a rejection: still a miss, since three in a row mean the customer is stuck.
            t.state.misses += 1;
            if (t.state.misses >= MISSES_BEFORE_PERSON) {
              t.escalate ??= { trigger: 'misses', blocker: 'Three messages in a row were not about a port rejection the bot could recognise.' };
              return offerMenu(say('missesOfferPerson', fields));
            }
            return offerMenu(say('outOfScope', fields));
          case 'unsure':
            t.state.misses += 1;
            if (t.state.misses >= MISSES_BEFORE_PERSON) {
              t.escalate ??= { trigger: 'misses', blocker: 'The bot did not understand the customer three times in a row.' };
              return offerMenu(say('missesOfferPerson', fields));
            }
            return text('rephrase');
          case 'conversation':
            t.state.misses = 0;
            return conversationOutsideFlow(u.intent);
        }
      }

      function conversationOutsideFlow(intent: string): void {
        switch (intent) {
          case 'greeting':
            return offerMenu(say('welcome'));
          case 'help':
            return offerMenu(say('help'));
          case 'rejection_unspecified':
            // Rejected, but we do not know why yet: not a miss, the customer is on topic.
            return offerMenu(say('reasonNeeded', fields));
          case 'human':
            t.escalate ??= { trigger: 'asked', blocker: 'The customer asked to talk to a person.' };
            return text('human');
          case 'thanks':
            return text('thanks');
          case 'goodbye':
            return text('goodbye');
          case 'cancel':
            clearChecklist();
            return text('cancelled');
          case 'restart':
            clearChecklist();
            return offerMenu(`${say('restarted')} ${say('menuPrompt')}`);
          default:
            return offerMenu(say('outsideFlowControl'));
        }
      }

      function offerMenu(prompt: string): void {
        reply({ kind: 'choices', text: prompt, choices: MENU_REASONS.map((intent) => choice({ kind: 'reason', intent }, titleOf(intent))) });
      }

      function clearChecklist(): void {
        Object.assign(t.state, { flow: null, suspended: [], queue: [], completed: [], pendingSwitch: null });
      }

      // ---------------------------------------------------------------- walkthroughs

      function startChecklist(reasons: string[]): void {
        clearChecklist();
        if (reasons.length > 1) {
          const list = reasons.map((r, i) => `${i + 1}. ${titleOf(r)}`).join('\n');
          text('checklistIntro', { count: String(reasons.length), list });
        }
        t.state.queue = reasons.slice(1);
        beginFlow(reasons[0]!);
      }

      function beginFlow(id: string): void {
        t.state.flow = startFlow(id, now);
        text('flowIntro', { title: titleOf(id) });
        // The article's one-line summary explains the reason, unless the walkthrough opens with its own words.
        const flow = flowOf(id);
        const summary = content.articles.get(id)?.summary;
        if (summary && !flow.steps[flow.start]!.say) reply({ kind: 'text', text: summary });
        advance();
      }

      /** Shows what the walk passed since last time, then asks the current question or finishes. */
      function advance(): void {
        const flowState = t.state.flow!;
        const flow = flowOf(flowState.id);
        const { path, current } = walk(flow, flowState);
        for (const stepId of current ? [...path, current] : path) {
          if (flowState.shown.includes(stepId)) continue;
          flowState.shown.push(stepId);
          showStep(flow, flow.steps[stepId]!, flowState);
        }
        flowState.updatedAt = now.toISOString();
        if (current) return ask(flow, current, flowState);
        finishFlow();
      }

      function showStep(flow: Flow, step: FlowStep, flowState: FlowState): void {
        if (step.say) reply({ kind: 'text', text: interpolate(step.say, flowState.slots, flow) });
        if (step.show) {
          const article = content.articles.get(step.show.article)!;
          const section = step.show.section as ArticleSectionId;
          if (section === 'what_to_do') reply({ kind: 'steps', title: 'What to do', steps: article.steps });
          else reply({ kind: 'text', text: article.sections[section] });
        }
        if (step.carrier_help) carrierHelp(flowState.slots[step.carrier_help]);
        if (step.handoff) {
          const handoff = interpolate(step.handoff, flowState.slots, flow);
          text('handoffNeeded', { handoff });
          t.escalate ??= { trigger: 'flow', blocker: `${titleOf(flowState.id)}: ${handoff}` };
        }
      }

      function carrierHelp(value: SlotValue | undefined): void {
        const carrier = typeof value === 'string' ? content.carriers.find((c) => c.id === value) : undefined;
        if (!carrier) return;
        const lines: string[] = [];
        if (carrier.lock) lines.push(`First, turn off ${carrier.lock.name}: ${carrier.lock.how.join(' ')}`);
        if (carrier.pin) {
          lines.push(`${carrier.name} calls it the ${carrier.pin.name}. ${carrier.pin.how.join(' ')}`);
          if (carrier.pin.who) lines.push(`Who can get it: ${carrier.pin.who}.`);
          if (carrier.pin.valid_for) lines.push(`It is valid for ${carrier.pin.valid_for}, so resubmit soon after you get it.`);
        }
        if (lines.length > 0) reply({ kind: 'steps', title: `${carrier.name}: port-out PIN and locks`, steps: lines });
      }

      function ask(flow: Flow, stepId: string, flowState: FlowState): void {
        const step = flow.steps[stepId]!;
        const item = step.type === 'choice_each' ? nextEachItem(step, flowState) : undefined;
        const question = interpolate(step.ask!.replace(/\{item\}/g, item ?? ''), flowState.slots, flow);
        const choices: Choice[] = [];
        if (step.type === 'yes_no') choices.push(choice({ kind: 'answer', value: 'yes' }, 'Yes'), choice({ kind: 'answer', value: 'no' }, 'No'));
        else if (step.type === 'phone_from') {
          for (const option of listSlot(flowState.slots, step.from).slice(0, 8)) choices.push(choice({ kind: 'answer', value: lastSeven(option) }, option));
        } else for (const c of step.choices ?? []) choices.push(choice({ kind: 'answer', value: c.id }, c.label));
        if (step.optional) choices.push(choice({ kind: 'skip' }, 'Skip'));
        reply(choices.length > 0 ? { kind: 'choices', text: question, choices } : { kind: 'text', text: question });
        // A question replaces whatever was offered before, even when it offers no buttons itself.
        offersChanged = true;
      }

      /** Repeats the current question (after a stale button, an unknown choice, a repair move). */
      function reprompt(): void {
        if (t.state.flow) {
          const flow = flowOf(t.state.flow.id);
          const { current } = walk(flow, t.state.flow);
          if (current) return ask(flow, current, t.state.flow);
        }
        if (previous.offered.length > 0) reply({ kind: 'choices', text: 'Please choose one of these:', choices: previous.offered });
        else if (t.replies.length === 0 || t.replies.every((r) => r.kind !== 'choices')) text('nothingToChoose');
      }

      function finishFlow(): void {
        const done = t.state.flow!;
        t.state.completed.push(done);
        t.state.flow = null;
        const resumed = t.state.suspended.pop();
        if (resumed) {
          reply(summaryReply(collectSummary(content, [done]), say('summaryTitleOne', { title: titleOf(done.id) }), branding.support_email));
          t.state.flow = resumed;
          text('resumeFlow', { title: titleOf(resumed.id) });
          const flow = flowOf(resumed.id);
          const { current } = walk(flow, resumed);
          if (current) return ask(flow, current, resumed);
          return finishFlow();
        }
        const next = t.state.queue.shift();
        if (next) {
          const count = t.state.completed.length + 1 + t.state.queue.length;
          text('nextReason', { position: String(t.state.completed.length + 1), count: String(count), title: titleOf(next) });
          return beginFlow(next);
        }
        const completed = t.state.completed;
        const title = completed.length > 1 ? say('summaryTitleMany') : say('summaryTitleOne', { title: titleOf(done.id) });
        reply(summaryReply(collectSummary(content, completed), title, branding.support_email));
        reply({
          kind: 'choices',
          text: say('afterSummary'),
          choices: [choice({ kind: 'menu' }, 'Another rejection reason'), choice({ kind: 'restart' }, 'Start over')],
        });
      }

      function readFlowText(input: string): void {
        const flowState = t.state.flow!;
        const flow = flowOf(flowState.id);
        const { current } = walk(flow, flowState);
        if (!current) return finishFlow();
        const step = flow.steps[current]!;
        t.state.pendingSwitch = null;

        let u: Understanding | undefined;
        if (FREE_FORM_TYPES.has(step.type ?? '')) {
          u = understand(input);
          if (u.kind === 'conversation' && u.confidence >= FREE_FORM_CONTROL_CONFIDENCE) return control(u.intent);
          t.intent = null;
          t.confidence = 0;
        }
        const parsed = parseSlot(step, input, { extractor, carriers: content.carriers, slots: flowState.slots, referenceDate: now });
        if (parsed.ok) {
          t.intent = null;
          t.confidence = 0;
          return answer(flow, current, parsed.value);
        }
        if (step.optional && DONT_KNOW.test(input)) return control('skip');
        u ??= understand(input);
        if (u.kind === 'conversation' && u.confidence >= CONTROL_CONFIDENCE) return control(u.intent);
        if (CORRECTION.test(input) && correct(flow, flowState, input.replace(CORRECTION, ''))) return;
        if ((u.kind === 'rejection' || u.kind === 'ambiguous') && u.intent !== flowState.id && u.confidence >= SWITCH_CONFIDENCE) {
          return offerSwitch(u.intent, flowState.id);
        }
        // Not an answer and not a repair move: the classifier's guess says nothing useful about this turn.
        t.intent = null;
        t.confidence = 0;
        t.state.misses += 1;
        reply({ kind: 'text', text: parsed.reason });
        if (t.state.misses >= MISSES_BEFORE_PERSON) {
          text('flowMissesOfferPerson');
          t.escalate ??= { trigger: 'misses', blocker: `The customer could not answer "${step.ask}" three times in a row.` };
        }
        ask(flow, current, flowState);
      }

      function answer(flow: Flow, stepId: string, value: SlotValue): void {
        const flowState = t.state.flow!;
        const step = flow.steps[stepId]!;
        if (step.type === 'choice_each') {
          const item = nextEachItem(step, flowState)!;
          const decided = (flowState.slots[step.slot!] as Record<string, string> | undefined) ?? {};
          flowState.slots[step.slot!] = { ...decided, [item]: value as string };
        } else flowState.slots[step.slot!] = value;
        t.state.misses = 0;
        advance();
      }

      /** A correction of an earlier answer ("actually the pilot is 555-0142"): re-read it for a past question. */
      function correct(flow: Flow, flowState: FlowState, input: string): boolean {
        const { path } = walk(flow, flowState);
        const candidates = path
          .map((id) => flow.steps[id]!)
          .filter((s) => s.ask && s.slot && s.type && ['phone', 'phone_from', 'carrier', 'date', 'choice', 'yes_no'].includes(s.type))
          .reverse();
        const named = candidates.filter((s) => s.slot!.split('_').some((word) => word.length > 3 && input.toLowerCase().includes(word)));
        for (const step of [...named, ...candidates]) {
          const parsed = parseSlot(step, input, { extractor, carriers: content.carriers, slots: flowState.slots, referenceDate: now });
          if (!parsed.ok) continue;
          const changedAt = Object.entries(flow.steps).find(([, s]) => s === step)![0];
          t.state.flow = forgetShownAfter(flow, flowState, changedAt);
          t.state.flow.slots[step.slot!] = parsed.value;
          t.intent = null;
          t.confidence = 0;
          text('corrected', { value: interpolate(`{${step.slot}}`, t.state.flow.slots, flow) });
          advance();
          return true;
        }
        return false;
      }

      function offerSwitch(intent: string, currentId: string): void {
        t.state.pendingSwitch = intent;
        reply({
          kind: 'choices',
          text: say('switchOffer', { title: titleOf(intent), current: titleOf(currentId) }),
          choices: [choice({ kind: 'switch', intent }, `Switch to: ${titleOf(intent)}`.slice(0, 75)), choice({ kind: 'stay' }, `Continue with: ${titleOf(currentId)}`.slice(0, 75))],
        });
      }

      /** Repair moves and conversation intents inside a walkthrough. */
      function control(intent: string): void {
        const flowState = t.state.flow!;
        const flow = flowOf(flowState.id);
        const { current } = walk(flow, flowState);
        const step = current ? flow.steps[current] : undefined;
        switch (intent) {
          case 'back': {
            const back = goBack(flow, flowState);
            if (!back) {
              text('nothingToGoBackTo');
              return reprompt();
            }
            t.state.flow = forgetShownAfter(flow, back, walk(flow, back).current);
            text('wentBack');
            return advance();
          }
          case 'skip':
            if (step?.optional && current) {
              flowState.skipped.push(current);
              text('skipped');
              return advance();
            }
            text('cannotSkip', { why: step?.why ?? say('genericWhy') });
            return reprompt();
          case 'why':
            reply({ kind: 'text', text: step?.why ?? say('genericWhy') });
            return reprompt();
          case 'restart':
            t.state.flow = startFlow(flowState.id, now);
            text('flowRestarted');
            return advance();
          case 'cancel':
            clearChecklist();
            return text('cancelled');
          case 'goodbye':
            return text('flowPaused');
          case 'human':
            t.escalate ??= { trigger: 'asked', blocker: 'The customer asked to talk to a person during a walkthrough.' };
            text('human');
            return reprompt();
          case 'thanks':
            text('thanks');
            return reprompt();
          default:
            text('flowHelp', { title: titleOf(flowState.id) });
            return reprompt();
        }
      }

      function act(action: ChoiceAction): void {
        switch (action.kind) {
          case 'menu':
            clearChecklist();
            return offerMenu(say('menuPrompt'));
          case 'restart':
            clearChecklist();
            return offerMenu(`${say('restarted')} ${say('menuPrompt')}`);
          case 'reason':
            if (!isRejectionId(action.intent)) return text('unknownChoice');
            if (t.state.flow && t.state.flow.id !== action.intent) {
              t.state.suspended.push(t.state.flow);
              return beginFlow(action.intent);
            }
            return startChecklist([action.intent]);
          case 'switch':
            if (!t.state.flow || !isRejectionId(action.intent)) return text('unknownChoice');
            t.state.suspended.push(t.state.flow);
            t.state.pendingSwitch = null;
            return beginFlow(action.intent);
          case 'stay':
            t.state.pendingSwitch = null;
            text('stayInFlow');
            return reprompt();
          case 'skip':
            return t.state.flow ? control('skip') : text('unknownChoice');
          case 'answer':
            return answerChoice(action.value);
        }
      }

      function answerChoice(value: string): void {
        const flowState = t.state.flow;
        if (!flowState) return text('nothingToChoose');
        const flow = flowOf(flowState.id);
        const { current } = walk(flow, flowState);
        if (!current) return finishFlow();
        const step = flow.steps[current]!;
        if (step.type === 'yes_no' && (value === 'yes' || value === 'no')) return answer(flow, current, value === 'yes');
        if (step.type === 'phone_from') {
          const option = listSlot(flowState.slots, step.from).find((o) => lastSeven(o) === value);
          if (option) return answer(flow, current, option);
        }
        if (step.choices?.some((c) => c.id === value)) return answer(flow, current, value);
        text('staleChoice');
        reprompt();
      }

      /** A walkthrough idle for too long is closed, with what we knew, before this message is read. */
      function expireIdleFlow(): boolean {
        const flowState = t.state.flow;
        if (!flowState || now.getTime() - Date.parse(flowState.updatedAt) <= deps.flowTtlMs) return false;
        text('flowExpired', { title: titleOf(flowState.id) });
        reply(summaryReply(collectSummary(content, [...t.state.completed, flowState]), say('summaryTitleOne', { title: titleOf(flowState.id) }), branding.support_email));
        clearChecklist();
        return true;
      }
    },
  };
}

export type Conversation = ReturnType<typeof createConversation>;
