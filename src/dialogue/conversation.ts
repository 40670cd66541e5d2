/**
 * One conversation turn: given the state before a message, decide the replies and the state after it.
 * The jobs live in their own modules: triage of typed text (triage.ts), the walkthrough (walkthrough.ts),
 * repair moves (repair.ts), side questions (side-questions.ts), the notice reading (reading.ts), and the
 * turn being built (turn-context.ts). This module dispatches. Nothing here knows the channel.
 */
import { isRejectionId } from '../content/ids.js';
import type { InboundMessage } from '../core/types.js';
import { decodeChoiceId, type ChoiceAction } from './choice-id.js';
import { answerReading } from './reading.js';
import { askForPerson, control } from './repair.js';
import { createSideQuestions } from './side-questions.js';
import type { ConversationState } from './state.js';
import { readText } from './triage.js';
import { clearChecklist, createTurnContext, offerMenu, type ConversationDeps, type PreRead, type Turn, type TurnContext } from './turn-context.js';
import { answerChoice, expireIdleFlow, reprompt, startChecklist, switchTo } from './walkthrough.js';

export type { ConversationDeps, EscalationRequest, PreRead, Turn } from './turn-context.js';

export function createConversation(deps: ConversationDeps) {
  const sideQuestions = createSideQuestions(deps.content);

  return {
    /**
     * One turn. With `resume`, no message is read: the bot picks the conversation up again where it was
     * (after a person hands it back), repeating the current question or offering the menu. With `rate`
     * (a person closed the case), it asks with one tap whether the help helped; with `checkin` (days after a
     * summary), whether the resubmitted order went through.
     */
    respond(previous: ConversationState, message: InboundMessage, now: Date, mode: 'message' | 'resume' | 'rate' | 'checkin' = 'message', preread?: PreRead): Turn {
      const ctx = createTurnContext(deps, sideQuestions, previous, now, preread);
      if (mode === 'checkin') {
        // Some days after the summary: did the resubmitted order go through?
        const choices = [
          ctx.choice({ kind: 'outcome', value: 'fixed' }, ctx.say('checkInFixedLabel')),
          ctx.choice({ kind: 'outcome', value: 'rejected' }, ctx.say('checkInRejectedLabel')),
          ctx.choice({ kind: 'outcome', value: 'pending' }, ctx.say('checkInPendingLabel')),
        ];
        ctx.reply({ kind: 'choices', text: ctx.say('checkInQuestion'), choices });
      } else if (mode === 'rate') {
        // A case a person closed: one tap on whether the help helped, then the usual choices.
        const choices = [
          ctx.choice({ kind: 'rate', value: 'helpful' }, ctx.say('helpfulLabel')),
          ctx.choice({ kind: 'rate', value: 'not_helpful' }, ctx.say('notHelpfulLabel')),
          ctx.choice({ kind: 'menu' }, ctx.say('anotherReasonLabel')),
        ];
        ctx.reply({ kind: 'choices', text: ctx.say('rateAfterHandoff'), choices });
      } else if (mode === 'resume') {
        if (ctx.state.flow) reprompt(ctx);
        else offerMenu(ctx, ctx.say('menuPrompt'));
      } else if (expireIdleFlow(ctx)) offerMenu(ctx, ctx.say('afterExpiry'));
      else if (message.choice !== undefined) pressChoice(ctx, message.choice);
      else if (message.start !== undefined) act(ctx, { kind: 'reason', intent: message.start });
      else readText(ctx, message.text ?? '', (id) => pressChoice(ctx, id));

      ctx.state.turn = ctx.turnNumber;
      if (ctx.offersChanged()) ctx.state.offered = ctx.out.replies.flatMap((r) => (r.kind === 'choices' ? r.choices : []));
      return ctx.out;
    },
  };
}

export type Conversation = ReturnType<typeof createConversation>;

/** A press of an offered choice (a button, or typed words that mean one). Old or unknown choices are refused politely. */
function pressChoice(ctx: TurnContext, id: string): void {
  const decoded = decodeChoiceId(id);
  const isOffered = ctx.previous.offered.some((c) => c.id === id);
  if (!decoded || !isOffered) {
    ctx.out.press = 'refused';
    ctx.text(!decoded || decoded.turn === ctx.previous.turn ? 'unknownChoice' : 'staleChoice');
    return reprompt(ctx);
  }
  ctx.out.press = 'accepted';
  act(ctx, decoded.action);
}

function act(ctx: TurnContext, action: ChoiceAction): void {
  const { state } = ctx;
  switch (action.kind) {
    case 'menu':
      clearChecklist(ctx);
      return offerMenu(ctx, ctx.say('menuPrompt'));
    case 'more':
      return offerMenu(ctx, ctx.say('moreReasonsPrompt'), 2);
    case 'restart':
      clearChecklist(ctx);
      return offerMenu(ctx, `${ctx.say('restarted')} ${ctx.say('menuPrompt')}`);
    case 'reason':
      if (!isRejectionId(action.intent)) return ctx.text('unknownChoice');
      if (state.flow && state.flow.id !== action.intent) return switchTo(ctx, action.intent, 'picked');
      return startChecklist(ctx, [action.intent], 'picked');
    case 'switch':
      if (!state.flow || !isRejectionId(action.intent)) return ctx.text('unknownChoice');
      state.pendingSwitch = null;
      return switchTo(ctx, action.intent, 'confirmed');
    case 'stay':
      state.pendingSwitch = null;
      ctx.text('stayInFlow');
      return reprompt(ctx);
    case 'skip':
      return state.flow ? control(ctx, 'skip') : ctx.text('unknownChoice');
    case 'answer':
      return answerChoice(ctx, action.value);
    case 'confirm':
    case 'include':
    case 'other':
    case 'unknown':
      // Doubting a walkthrough's reason ("pick another", "I don't know what it says") leaves it.
      if (state.flow && (action.kind === 'other' || action.kind === 'unknown')) clearChecklist(ctx);
      return answerReading(ctx, action.kind);
    case 'person':
      askForPerson(ctx, 'The customer asked to talk to a person.');
      return reprompt(ctx);
    case 'outcome':
      if (action.value === 'fixed') {
        ctx.out.confirmedFixed = true;
        return ctx.text('checkInFixed');
      }
      if (action.value === 'pending') return ctx.text('checkInPending');
      return offerMenu(ctx, ctx.say('checkInRejected'));
    case 'rate':
      if (state.rated) return reprompt(ctx);
      state.rated = true;
      ctx.out.rating = action.value;
      ctx.reply({
        kind: 'choices',
        text: ctx.say(action.value === 'helpful' ? 'thanksHelpful' : 'thanksNotHelpful'),
        choices: [ctx.choice({ kind: 'menu' }, ctx.say('anotherReasonLabel')), ctx.choice({ kind: 'restart' }, ctx.say('startOverLabel'))],
      });
      return;
  }
}
