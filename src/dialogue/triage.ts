/**
 * Triage of a typed message: what kind of input it is (empty, binary, a secret), whether it asks for a
 * person or doubts the reason, whether it answers the offered choices in the customer's own words, is a
 * side question, answers the walkthrough's question, repairs it, or states (another) rejection.
 */
import type { Flow, QuestionStep } from '../content/flow-schema.js';
import { isRejectionId } from '../content/ids.js';
import { isClearlyFrustrated } from '../nlu/frustration.js';
import { hasFacts, inPassing, mergeFacts, type NoticeFacts } from '../nlu/notice-facts.js';
import type { NoticeReading } from '../nlu/notice-reader.js';
import type { Understanding } from '../nlu/understand.js';
import { decodeChoiceId } from './choice-id.js';
import { expectsPin, inspectInput } from './input.js';
import { isNotSure, matchNaturalAnswer, matchSeveralAnswers } from './natural-answers.js';
import { presentReading } from './reading.js';
import { askForPerson, control, correct, CORRECTION, doubtReason, noteForLater, offerSwitch, reopenFinished } from './repair.js';
import { numbersIn, parseSlot } from './slots.js';
import { isFullNumber } from '../nlu/extract.js';
import { clearChecklist, offerMenu, type TurnContext } from './turn-context.js';
import { advance, answerStep, factLabel, factsAnswer, prefill, reprompt } from './walkthrough.js';
import { currentQuestion, type FlowState } from './flow-engine.js';

/** Inside a walkthrough, a conversation intent this sure of itself beats reading the text as an answer. */
const CONTROL_CONFIDENCE = 0.5;
/** A different reason this sure of itself, inside a walkthrough, is offered as a switch. */
const SWITCH_CONFIDENCE = 0.7;
/** Free-form answers (text, lists) give way to a conversation intent only when it is this sure. */
const FREE_FORM_CONTROL_CONFIDENCE = 0.8;
const MISSES_BEFORE_PERSON = 3;
const FREE_FORM_TYPES = new Set(['text', 'item_list']);
/** On an optional question, "I don't know" is a skip. */
const DONT_KNOW = /^\s*(?:i\s+)?(?:don'?t know|do not know|not sure|no idea|dunno|unknown|n\/a|none|skip)\b/i;
/**
 * The repair words the Spanish walkthrough help names ('atrás', 'omitir', 'por qué', 'empezar de nuevo',
 * 'cancelar'), said alone: taken as those moves, like their English twins the classifier knows.
 */
const SPANISH_MOVES: Array<[RegExp, string]> = [
  [/^(?:atr[aá]s|volver atr[aá]s|regresar|la anterior|pregunta anterior)$/i, 'back'],
  [/^(?:omitir|om[ií]tala|saltar|s[aá]ltala|s[aá]ltese esta)$/i, 'skip'],
  [/^(?:por qu[eé]|para qu[eé])$/i, 'why'],
  [/^(?:empezar de nuevo|volver a empezar|comenzar de nuevo|empezar otra vez|reiniciar|desde el principio)$/i, 'restart'],
  [/^(?:cancelar|cancela|parar|detener|olv[ií]dalo)$/i, 'cancel'],
  [/^(?:ayuda|necesito ayuda)$/i, 'help'],
];

/** The move a Spanish repair word said alone names, if it is one. */
function spanishMove(text: string): string | undefined {
  const bare = text
    .trim()
    .replace(/^[¿¡]+|[?!.]+$/g, '')
    .trim();
  return SPANISH_MOVES.find(([pattern]) => pattern.test(bare))?.[1];
}

/** Puzzled by the question just asked ("what do you mean", "i dont get it"): its reason, then the question again. */
const PUZZLED =
  /^\s*(?:sorry,?\s*|huh\??,?\s*)?(?:what do you mean(?: by that)?|what does that mean|what does that even mean|i don'?t (?:get|understand) (?:it|that|this|the question|what you mean)|i dont (?:get|understand) (?:it|that|this|the question)|can you explain(?: that| this)?|explain(?: please)?|what are you asking(?: me)?|qu[eé] quiere decir|no entiendo(?: la pregunta)?)\s*[?.!¿]*\s*$/i;
/** "Wait, I don't even know if that's the reason", "that's not the problem". */
const DOUBTS_REASON =
  /\b(?:(?:don'?t|do not|dont) (?:even )?know (?:if|whether) (?:that'?s|it'?s|this is|that is) (?:the|my|our|really the)? ?(?:reason|problem|issue|it)|not sure (?:if |that )?(?:that'?s|it'?s|this is) (?:the|my|our)? ?(?:reason|problem|issue|right one)|(?:that'?s|this is|it'?s) not (?:the|my|our) (?:reason|problem|issue)|wrong reason|(?:didn'?t|did not|never) say (?:that|anything about that))\b/i;

export function readText(ctx: TurnContext, raw: string, press: (id: string) => void): void {
  const input = inspectInput(raw, { pinExpected: expectsPin(ctx.content, ctx.previous) });
  if (input.kind === 'empty') return ctx.text('emptyMessage');
  if (input.kind === 'binary') return ctx.text('binaryMessage');
  ctx.out.inputHadSecret = input.hadSecret;
  if (input.hadSecret) ctx.reply({ kind: 'text', text: ctx.say('secretWarning'), private: true });
  if (input.truncated) ctx.text('longMessage');
  const text = input.text;
  if (isClearlyFrustrated(text)) {
    ctx.text('frustrated');
    ctx.out.escalate = { trigger: 'frustration', blocker: 'The customer sounds clearly frustrated.' };
  }

  const reading = ctx.preread?.text === text ? ctx.preread.reading : ctx.deps.reader.read(text, { referenceDate: ctx.now, knownNumbers: knownNumbers(ctx) });
  if (reading.language) ctx.state.language = reading.language;
  // The customer always wins: a request for a person is honoured whatever else the message says.
  if (reading.asksForPerson && !ctx.out.escalate)
    askForPerson(ctx, ctx.state.flow ? 'The customer asked to talk to a person during a walkthrough.' : 'The customer asked to talk to a person.');
  const asked = ctx.out.escalate !== undefined;

  if (ctx.state.flow && DOUBTS_REASON.test(text)) return doubtReason(ctx);
  if (asked && ctx.state.flow) return reprompt(ctx);
  // A side question ("what's a pilot?", "can my office manager sign?") is answered in place.
  const side = ctx.sideQuestions.answer(text, { flow: ctx.state.flow?.id });
  const otherReason = reading.reasons.some((r) => r.sure && r.intent !== ctx.state.flow?.id);
  // "What is the LOA?" asks what a word means: the glossary answers it, even though the word names a reason.
  if (side && (!otherReason || side.source.kind === 'glossary')) {
    ctx.reply({ kind: 'text', text: side.text });
    if (ctx.state.flow) {
      // What the question said in passing ("ok it's unlocked now, do I have to pay?") is kept for the walkthrough.
      const facts = inPassing(reading.facts);
      if (hasFacts(facts)) ctx.state.facts = mergeFacts(ctx.state.facts, facts);
      noteFilled(ctx, ctx.flowOf(ctx.state.flow.id), ctx.state.flow);
      return advance(ctx);
    }
    if (ctx.previous.offered.length > 0) ctx.reply({ kind: 'choices', text: ctx.say('chooseOne'), choices: ctx.previous.offered });
    return;
  }

  // A free question the optional model answered from knowledge/ (or found nothing in it to answer from).
  const grounded = ctx.preread?.text === text ? ctx.preread.answer : undefined;
  if (grounded && !otherReason && !asked) {
    if (grounded === 'none') {
      // Inside a walkthrough the question stays where it was; outside, a person or the reasons are offered.
      if (ctx.state.flow) {
        ctx.text('noGroundedAnswer');
        return reprompt(ctx);
      }
      const choices = [ctx.choice({ kind: 'person' }, ctx.say('talkToPersonLabel')), ctx.choice({ kind: 'menu' }, ctx.say('commonReasonsLabel'))];
      ctx.reply({ kind: 'choices', text: ctx.say('noGroundedAnswer'), choices });
      return;
    }
    ctx.reply({ kind: 'text', text: `${grounded.text}\n${ctx.say('groundedFrom', { titles: grounded.sources.join('; ') })}` });
    if (ctx.state.flow) return reprompt(ctx);
    if (ctx.previous.offered.length > 0) ctx.reply({ kind: 'choices', text: ctx.say('chooseOne'), choices: ctx.previous.offered });
    return;
  }

  // Several details at once ("the address and the account number") to a question that takes one or more.
  if (!asked && answeredSeveral(ctx, text)) return;
  // Typed instead of pressed: "yes", "the second one", "both", "idk", a carrier, a label's key words.
  const typed = asked ? undefined : matchNaturalAnswer(ctx.previous.offered, text, { carriers: ctx.deps.extractor.carriers(text) });
  // "I don't know what it says, something about a lock maybe": the guess it carries is heard, not dropped.
  const unsureWithGuess = typed && decodeChoiceId(typed.id)?.action.kind === 'unknown' && !ctx.state.flow && reading.reasons.length + reading.possible.length > 0;
  if (typed && !unsureWithGuess) {
    // "yes, they lifted it, confirmation number 55123": the facts around the answer fill later questions.
    if (ctx.state.flow) notePassingFacts(ctx, inPassing(reading.facts));
    return press(typed.id);
  }

  if (ctx.state.flow) return readFlowText(ctx, text, reading);
  if (asked && reading.reasons.length === 0 && reading.possible.length === 0) return;
  return readFreeText(ctx, text, reading);
}

/** A typed answer naming several of the choices of a question that takes one or more: answered with all of them. */
function answeredSeveral(ctx: TurnContext, text: string): boolean {
  const flowState = ctx.state.flow;
  if (!flowState) return false;
  const question = currentQuestion(ctx.flowOf(flowState.id), flowState);
  if (question?.step.type !== 'choice_some') return false;
  // Named in English or in the customer's language.
  const step = question.step;
  const labels = (step.choices ?? []).flatMap((c) => [c, ...(step.es?.choices?.[c.id] ? [{ id: c.id, label: step.es.choices[c.id]! }] : [])]);
  const picked = new Set(matchSeveralAnswers(labels, text)?.map((c) => c.id));
  if (picked.size < 2) return false;
  answerStep(ctx, step, [...picked]);
  return true;
}

/** The facts that are one phone number each, and where a message's facts hold them. */
const PHONE_FACTS = ['pilot', 'btn', 'new_pilot'] as const;
function phoneFactOf(facts: NoticeFacts, kind: string): string | undefined {
  return kind === 'pilot' ? facts.pilot : kind === 'btn' ? facts.btn : kind === 'new_pilot' ? facts.newPilot : undefined;
}

/** The numbers the conversation holds in full: from notices, and from the walkthrough's answers. */
function knownNumbers(ctx: TurnContext): string[] {
  return [...(ctx.state.facts.numbers ?? []).filter(isFullNumber), ...numbersIn(ctx.state.flow?.slots ?? {})];
}

/** Facts said in passing inside a walkthrough fill the questions they answer, except the one being asked now. */
function notePassingFacts(ctx: TurnContext, facts: NoticeFacts): void {
  const flowState = ctx.state.flow!;
  if (!hasFacts(facts)) return;
  ctx.state.facts = mergeFacts(ctx.state.facts, facts);
  const flow = ctx.flowOf(flowState.id);
  prefill(ctx, flow, flowState, facts, { exceptStep: currentQuestion(flow, flowState)?.id });
}

/** Outside a walkthrough: a notice, a reason in the customer's words, a conversation move, or a miss. */
function readFreeText(ctx: TurnContext, text: string, reading: NoticeReading): void {
  const u = reading.whole;
  ctx.out.intent = u.intent;
  ctx.out.confidence = u.confidence;
  ctx.out.reasons = reading.reasons.map((r) => r.intent);
  if (reopenFinished(ctx, text, 'correct')) return;
  // "ayuda" alone, outside a walkthrough, is the help it asks for.
  if (spanishMove(text) === 'help' && reading.reasons.length === 0) {
    ctx.out.intent = 'help';
    ctx.out.confidence = 1;
    return conversationOutsideFlow(ctx, 'help', text);
  }
  if (reading.reasons.length > 0 || reading.possible.length > 0) {
    ctx.state.facts = mergeFacts(ctx.state.facts, reading.facts);
    return presentReading(ctx, reading);
  }
  ctx.state.facts = mergeFacts(ctx.state.facts, inPassing(reading.facts));
  // A reading still waits for its answer ("which should we walk through?"): a message that names no
  // reason keeps it, instead of dropping what the notice said; it counts as a miss.
  const vague = u.kind !== 'conversation' || u.intent === 'rejection_unspecified';
  if (ctx.state.pendingReading && ctx.previous.offered.length > 0 && vague && ctx.state.misses + 1 < MISSES_BEFORE_PERSON) {
    ctx.state.misses += 1;
    // One suspected reason was offered as yes or no: ask about it by name, not "which of these".
    const { reasons, possible } = ctx.state.pendingReading;
    const only = reasons.length + possible.length === 1 ? (reasons[0] ?? possible[0]) : undefined;
    const text = only ? ctx.say('readingStillOpenOne', { title: ctx.titleOf(only) }) : ctx.say('readingStillOpen');
    ctx.reply({ kind: 'choices', text, choices: ctx.previous.offered });
    return;
  }
  switch (u.kind) {
    case 'out_of_scope':
    case 'unsure': {
      // Not about a rejection we could recognise: a miss, since three in a row mean the customer is stuck.
      ctx.state.misses += 1;
      if (ctx.state.misses >= MISSES_BEFORE_PERSON) {
        ctx.out.escalate ??= {
          trigger: 'misses',
          blocker:
            u.kind === 'unsure'
              ? 'The bot did not understand the customer three times in a row.'
              : 'Three messages in a row were not about a port rejection the bot could recognise.',
        };
        return offerMenu(ctx, ctx.say(u.kind === 'unsure' ? 'missesOfferPerson' : 'outOfScopeOfferPerson'));
      }
      if (u.kind === 'unsure' && hasFacts(reading.facts)) return offerMenu(ctx, ctx.say('factsButNoReason'));
      return u.kind === 'unsure' ? ctx.text('rephrase') : offerMenu(ctx, ctx.say('outOfScope'));
    }
    case 'conversation':
      ctx.state.misses = 0;
      return conversationOutsideFlow(ctx, u.intent, text);
    default:
      // Read as a rejection, but too weakly to name a reason: ask for the notice instead of guessing.
      ctx.state.misses = 0;
      return offerMenu(ctx, ctx.say('reasonNeeded'));
  }
}

function conversationOutsideFlow(ctx: TurnContext, intent: string, text: string): void {
  // "Why do you need this?", "back", "skip" while a reading waits for its answer: say why, and ask it again.
  if (ctx.state.pendingReading && ctx.previous.offered.length > 0 && ['why', 'back', 'skip', 'help'].includes(intent)) {
    ctx.reply({ kind: 'choices', text: ctx.say('readingWhy'), choices: ctx.previous.offered });
    return;
  }
  switch (intent) {
    case 'greeting':
      return offerMenu(ctx, ctx.say('welcome'));
    case 'help':
      return offerMenu(ctx, ctx.say('help'));
    case 'rejection_unspecified':
      // Rejected, but we do not know why yet: not a miss, the customer is on topic.
      return offerMenu(ctx, ctx.say('reasonNeeded'));
    case 'human':
      return askForPerson(ctx, 'The customer asked to talk to a person.');
    case 'thanks':
      return ctx.text('thanks');
    case 'goodbye':
      return ctx.text('goodbye');
    case 'cancel':
      clearChecklist(ctx);
      return ctx.text('cancelled');
    case 'restart':
      clearChecklist(ctx);
      return offerMenu(ctx, `${ctx.say('restarted')} ${ctx.say('menuPrompt')}`);
    case 'back':
      if (reopenFinished(ctx, text, 'back')) return;
      return offerMenu(ctx, ctx.say('outsideFlowControl'));
    default:
      return offerMenu(ctx, ctx.say('outsideFlowControl'));
  }
}

/** Inside a walkthrough: an answer to the current question, a repair move, facts in passing, or another reason. */
function readFlowText(ctx: TurnContext, input: string, reading: NoticeReading): void {
  const flowState = ctx.state.flow!;
  const flow = ctx.flowOf(flowState.id);
  const question = currentQuestion(flow, flowState);
  if (!question) return reprompt(ctx);
  const step = question.step;
  ctx.state.pendingSwitch = null;
  const u: Understanding = reading.whole;
  const setUnderstood = () => {
    ctx.out.intent = u.intent;
    ctx.out.confidence = u.confidence;
  };

  if (PUZZLED.test(input.replace(/^¿/, ''))) return control(ctx, 'why');
  const move = spanishMove(input);
  if (move) {
    ctx.out.intent = move;
    ctx.out.confidence = 1;
    return control(ctx, move);
  }
  if (FREE_FORM_TYPES.has(step.type) && u.kind === 'conversation' && u.confidence >= FREE_FORM_CONTROL_CONFIDENCE) {
    setUnderstood();
    return control(ctx, u.intent);
  }
  // Facts said in passing ("it's resold", a ticket number, the carrier) answer the questions they belong to.
  const facts = inPassing(reading.facts);
  if (hasFacts(facts)) ctx.state.facts = mergeFacts(ctx.state.facts, facts);

  // A number the message gives as another one ("make 0182 the new main number", "the BTN is ...") while a
  // phone question is asked: kept for the question it belongs to, not taken as this one's answer.
  const otherNumbers = step.type === 'phone' && step.fill && !phoneFactOf(facts, step.fill) ? PHONE_FACTS.filter((kind) => phoneFactOf(facts, kind)) : [];
  if (otherNumbers.length > 0) {
    prefill(ctx, flow, flowState, facts);
    ctx.text('notedFacts', { facts: otherNumbers.map((kind) => `${factLabel(kind, ctx.language())}: ${phoneFactOf(facts, kind)}`).join('; ') });
    return advance(ctx);
  }
  const parsed = parseSlot(step, input, {
    extractor: ctx.deps.extractor,
    carriers: ctx.content.carriers,
    slots: flowState.slots,
    referenceDate: ctx.now,
    language: ctx.language(),
  });
  if (parsed.ok) {
    prefill(ctx, flow, flowState, facts);
    return answerStep(ctx, step, parsed.value);
  }
  // An answer read but refused ("next week" for the day on the order): its reason, not a repair move its
  // words resemble ("next" is also "skip this one").
  if (parsed.read) return refuse(ctx, step, parsed.reason);
  // Facts the message gives that answer the question asked now walk on, whatever else its words resemble:
  // "they said they removed it this morning", asked whether the freeze is lifted, is not a greeting.
  if (hasFacts(facts) && factsAnswer(ctx, step, ctx.state.facts, flowState.slots)) {
    noteFilled(ctx, flow, flowState);
    return advance(ctx);
  }
  if (step.optional && DONT_KNOW.test(input)) return control(ctx, 'skip');
  if (u.kind === 'conversation' && u.confidence >= CONTROL_CONFIDENCE) {
    setUnderstood();
    return control(ctx, u.intent);
  }
  if (CORRECTION.test(input) && correct(ctx, flow, flowState, input.replace(CORRECTION, ''))) return;
  // "Actually the account number is 8812-4431" before it was asked: kept for that question, which is then not asked.
  if (CORRECTION.test(input) && noteForLater(ctx, flow, flowState, input.replace(CORRECTION, ''))) return reprompt(ctx);
  // An answer that fits a question the bot filled from the notice, typed instead of "actually ...", corrects it.
  if (flowState.prefilled.length > 0 && correct(ctx, flow, flowState, input, { onlyPrefilled: true })) return;
  // What was filled may answer the question asked now and those after it: walk on from where that leaves us.
  if (noteFilled(ctx, flow, flowState) > 0) return advance(ctx);
  // Another reason: a new one is offered as a switch; a paused one ("actually it's the hunt group
  // thing") is offered too, and switching back resumes it where it stopped.
  const inChecklist = new Set<string>([flowState.id, ...ctx.state.queue, ...ctx.state.completed.map((f) => f.id)]);
  const paused = new Set(ctx.state.suspended.map((f) => f.id));
  const named = reading.reasons.filter((r) => !inChecklist.has(r.intent) && isRejectionId(r.intent) && (r.sure || r.confidence >= SWITCH_CONFIDENCE));
  const fresh = named.filter((r) => !paused.has(r.intent));
  const others = fresh.length > 0 ? fresh : named.slice(0, 1);
  if (others.length > 1) {
    // A second notice with several new reasons: none is lost, they join the checklist after this one.
    setUnderstood();
    ctx.out.reasons = reading.reasons.map((r) => r.intent);
    ctx.state.queue.push(...others.map((r) => r.intent));
    ctx.text('addedToChecklist', { titles: others.map((r) => ctx.titleOf(r.intent)).join('; ') });
    return reprompt(ctx);
  }
  if (others.length === 1) {
    setUnderstood();
    ctx.out.reasons = reading.reasons.map((r) => r.intent);
    return offerSwitch(ctx, others[0]!.intent, flowState.id);
  }
  if (isNotSure(input)) {
    // "idk" to a question without a not-sure choice: say how to find out, and that a person can help.
    ctx.text('notSureHelp', { why: ctx.stepText(step, 'why') ?? ctx.say('genericWhy') });
    return reprompt(ctx);
  }
  // Not an answer and not a repair move: the classifier's guess says nothing useful about this turn.
  refuse(ctx, step, parsed.reason);
}

/** Fills the walkthrough's questions the conversation's facts answer and says what it noted; how many it filled. */
function noteFilled(ctx: TurnContext, flow: Flow, flowState: FlowState): number {
  const filled = prefill(ctx, flow, flowState, ctx.state.facts);
  if (filled.length > 0) ctx.text('notedFacts', { facts: filled.join('; ') });
  return filled.length;
}

/** An answer the question cannot take: why, the question again, and a person after the third in a row. */
function refuse(ctx: TurnContext, step: QuestionStep, reason: string): void {
  ctx.state.misses += 1;
  ctx.reply({ kind: 'text', text: reason });
  if (ctx.state.misses >= MISSES_BEFORE_PERSON) {
    ctx.text('flowMissesOfferPerson');
    ctx.out.escalate ??= { trigger: 'misses', blocker: `The customer could not answer "${step.ask}" three times in a row.` };
  }
  reprompt(ctx);
}
