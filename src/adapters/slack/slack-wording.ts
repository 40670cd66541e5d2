/**
 * Customer-facing wording that exists only on Slack (buttons, threads, ephemeral notes, App Home).
 * Everything the bot itself says comes from the core's wording table; this one covers what the adapter
 * adds around it, so the Slack voice is kept in one place too.
 */
export const SLACK_WORDING = {
  youChose: 'You chose:',
  optionsClosed: 'These options are no longer active.',
  unreadableButton: "Sorry, I couldn't read that button. Please pick an option from my latest message, or type your question.",
  deleteSecretMessage: 'Your message is still visible to everyone in this channel. Please delete it: hover over it, open More actions and choose Delete message.',
  cannotPostHere: "I can't post in this conversation. Invite me with /invite @portpilot, mention me in a channel I'm in, or send me a direct message.",
  threadStarted: 'started a portpilot walkthrough. I will answer in this thread.',
} as const;

/** Staff-facing wording the Slack adapter adds around the core's staff notices and answers. */
export const SLACK_STAFF_WORDING = {
  claimButton: 'Claim',
  claimHint: 'or type',
  claimedBy: 'Claimed by',
  /** Under a customer's words relayed by DM: typing in the DM talks to portpilot, not to the customer. */
  replyHint: 'To answer the customer:',
} as const;
