/**
 * The bot's own wording in English: greetings, prompts, confirmations, error answers, button labels.
 * Knowledge (articles, flows, carriers) is content, not wording. `{name}` fields are filled by `format()`.
 * Every other language's table has exactly these keys (checked by the type of `MessageTable`).
 */
export const EN = {
  welcome:
    'Hi! I help you fix a port order that your old carrier rejected. Paste the rejection notice or tell me in your own words what it says, or pick a common reason below.',
  menuPrompt: 'Here are the most common reasons a port order comes back. Which one did you get?',
  reasonNeeded:
    "Sorry the port was rejected. The carrier always gives a reason: it is in the rejection e-mail and on the order in {portal}. Paste the notice here or tell me in a few words what it says, or pick the reason below, and I'll walk you through the fix.",
  help:
    'I can explain why a port order was rejected and walk you through fixing it: numbers on several accounts, details that do not match, a freeze, a missing PIN, a hunt group, Google Voice, and more. Paste the notice or describe it, or pick one below.',
  thanks: "You're welcome! Paste another notice whenever you need me.",
  goodbye: 'Goodbye, and good luck with the port. Come back any time.',
  cancelled: "OK, I've stopped. Nothing is lost: tell me about the rejection again whenever you like.",
  restarted: "Let's start over.",
  outOfScope:
    'That does not look like a rejected port order, which is what I can help with. For anything else, please contact {support_email}. If your port order was rejected, paste the notice or pick a reason below.',
  rephrase:
    "Sorry, I'm not sure I understood. Could you paste the rejection notice, or say in a few words what the carrier told you?",
  missesOfferPerson:
    "I'm having trouble understanding, sorry. I'm asking a person from {company} to help; meanwhile you can pick one of the common reasons below.",
  outOfScopeOfferPerson:
    "I can only help with port orders that a carrier rejected, so I'm asking a person from {company} to help with the rest. If your port order was rejected, pick the reason below.",
  human: "Of course: I'm bringing in a person from {company}.",
  frustrated: "I'm sorry this has been so frustrating. I'm bringing in a person from {company}.",
  escalated: "I've opened case {id} for our team; a person will answer right here ({hours}). Meanwhile I can keep helping.",
  alreadyEscalated: 'Your case {id} is already with our team; a person will answer right here.',
  escalationFailed: "I couldn't reach our team's queue just now, sorry. Please e-mail {support_email} with your port order number, and a person will help.",
  ambiguous: 'That could be one of two things. Which fits better?',
  emptyMessage: "I didn't catch any text. Paste the rejection notice or tell me what the carrier said.",
  binaryMessage:
    "That message looks like binary data or a file, which I can't read. Please paste the text of the rejection notice instead.",
  longMessage: 'That is a long message; I read the first part of it.',
  secretWarning:
    'Please never type a PIN, passcode, password or Social Security digits into this chat. I have not stored what you typed. Enter the PIN only in the PIN field of your port order in {portal}.',
  staleChoice: 'That button belongs to an earlier question, so I ignored it. Here is where we are now.',
  unknownChoice: "I didn't recognise that option. Please pick one of the choices below, or type your question.",
  nothingToChoose: "There's nothing to choose right now. Tell me about the rejection, or type 'help'.",
  stateReset:
    "Sorry, I lost track of our earlier conversation (it expired or was saved by an older version). Let's pick it up again: what did the rejection say?",
  storeDown:
    "Sorry, I can't reach my memory right now, so I can't continue the conversation. Your message wasn't lost on your side: please try again in a minute.",
  internalError: 'Sorry, something went wrong on my side. Please try again in a moment.',
  flowIntro: "It looks like your port order was rejected because: {title}. Let's fix it step by step.",
  checklistIntro: 'Your notice mentions {count} reasons. We will go through them one at a time:\n{list}',
  nextReason: 'Next, reason {position} of {count}: {title}.',
  resumeFlow: "Now, back to where we were: {title}.",
  switchOffer: 'That sounds like a different reason: "{title}". Switch to it now? I\'ll come back to "{current}" afterwards.',
  stayInFlow: "OK, let's carry on.",
  wentBack: 'OK, one step back.',
  nothingToGoBackTo: "We're at the first question already.",
  cannotSkip: "This question can't be skipped: {why}",
  skipped: 'Skipped.',
  genericWhy: 'Your answer decides what to change on the port order, so the summary at the end is right for you.',
  flowHelp:
    "We're walking through: {title}. Answer the question, or say 'back', 'skip', 'why', 'start over' or 'cancel'.",
  flowRestarted: "Starting this walkthrough over.",
  flowPaused: 'Goodbye for now. Your answers are saved: write again any time to pick up where you left off.',
  flowMissesOfferPerson: "This seems hard to answer here, so I'm asking a person from {company} to help. You can also try once more.",
  corrected: 'Got it, I changed that answer to {value}.',
  flowExpired:
    'Your walkthrough for "{title}" expired after a long pause, so I closed it. Here is what we had so far.',
  afterExpiry: 'To pick it up again, tell me about the rejection or choose a reason below.',
  outsideFlowControl: "There's no walkthrough in progress. Tell me about the rejection, or pick a reason below.",
  handoffNeeded: 'This part needs a person from {company}: {handoff}',
  summaryTitleOne: 'What to change on your port order ({title})',
  summaryTitleMany: 'Your checklist: what to change on your port order',
  afterSummary: 'Anything else? If one of your answers was wrong, just tell me the right one, starting with "actually".',
  flowIntroChosen: "OK: {title}. Let's fix it step by step.",
  alreadyKnown: 'From what you told me, I already have {facts}. If any of that is wrong, just tell me.',
  notedFacts: 'Noted: {facts}.',
  addedToChecklist: "I've added these to your checklist, to go through after this one: {titles}.",
  factsRead: 'I noted: {facts}.',
  readOne: 'I read one problem in your notice: {title}.',
  readMany: 'I read {count} problems in your notice:\n{list}',
  alsoPossibly: 'It may also say: {titles}.',
  isThatRight: 'Is that right?',
  whichToWalk: 'Which should we go through?',
  mightBeOne: "I'm not sure what your notice says. It might be: {title}. Is that it?",
  mightBeMany: "I'm not sure what your notice says. It might be one of these:\n{list}\nWhich fits?",
  pickTheReason: 'OK. Which reason does the notice give? (If it gives several, pick the first; we can add the others.)',
  reasonUnknown:
    "That's OK. The carrier always gives a reason: it is in the rejection e-mail and on the order in {portal} (look for the status or remarks). Paste it here when you find it, or go through the common reasons with me:",
  factsButNoReason: "I noted the details, but I can't tell from them why the order was rejected. What does the notice say? Or pick the reason below.",
  notSureHelp: "That's OK. {why} If you can't find out, I can bring in a person: just say so.",
  doubtReason: 'No problem, let\'s make sure first. Does your notice really say "{title}"?',
  reopened: 'Reopening "{title}".',
  chooseOne: 'Please choose one of these:',
  moreReasonsPrompt: 'The other reasons a port order can come back:',
  moreReasonsLabel: 'More reasons…',
  commonReasonsLabel: 'The common reasons',
  unknownReasonLabel: "I don't know what it says",
  yesRightLabel: "Yes, that's right",
  notRightLabel: "No, something's not right",
  yesThatsItLabel: "Yes, that's it",
  somethingElseLabel: "No, it's something else",
  bothLabel: 'Both',
  allOfThemLabel: 'All of them',
  justThisLabel: 'Just: {title}',
  justThoseLabel: 'Just those {count}',
  keepGoingLabel: 'Yes, keep going: {title}',
  pickAnotherLabel: 'No, pick another reason',
  anotherReasonLabel: 'Another rejection reason',
  startOverLabel: 'Start over',
  summaryCarrierHeading: 'First, at your old carrier',
  summaryChangesHeading: 'Change on the port order',
  summaryNoChange: 'No field on the order needs to change.',
  summaryAttachHeading: 'Attach',
  summaryPersonHeading: 'Needs a person',
  summaryPersonEmail: 'E-mail {support_email} with your port order number and this summary.',
  summaryNotesHeading: 'Good to know',
  summaryResubmitHeading: 'When to resubmit',
  summaryResubmitDefault: 'Once the steps above are done.',
  earliestResubmit: 'If it came off today, that is {day} at the earliest.',
} as const;

export type MessageKey = keyof typeof EN;
