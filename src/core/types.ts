/**
 * The channel-neutral message model. Adapters translate SDK events into `InboundMessage`s and render
 * `Reply`s; nothing here knows which channel a message came from beyond an opaque name.
 */

/** Who wrote a message. `id` is channel-scoped (a Slack user id, a Discord snowflake, "web:<uuid>"). */
export interface Actor {
  id: string;
  displayName?: string;
  /** Channel-scoped role or group ids the adapter knows for this person (Discord roles, Slack user groups). */
  roles?: string[];
}

/** One inbound turn: free text, or a press of a choice the bot offered earlier. */
export interface InboundMessage {
  /** Channel name for logs and case files ("web", "terminal", "slack", "discord"). */
  channel: string;
  /** Identifies one conversation across turns: a DM, a thread, a web session. */
  conversationKey: string;
  actor: Actor;
  text?: string;
  /** A choice id from a `choices` reply; may come from an old message (handled as stale). */
  choice?: string;
  /**
   * A rejection reason (its intent id) the customer picked from a channel's own menu, such as Discord's
   * `/port start reason:`: its walkthrough begins, with no text to read. An unknown id is refused politely.
   */
  start?: string;
}

/**
 * A staff command (`queue`, `claim C-1A2B`, ...) from a staff entry point: `/portpilot-staff`, Discord's
 * `/staff`, a Claim button, a terminal staff line. Who may run it is checked every time, from `actor`.
 */
export interface StaffCommand {
  channel: string;
  actor: Actor;
  text: string;
}

/** A conversation so far, as the customer saw it: for a page that reloads. */
export interface ConversationHistory {
  /** The last lines (redacted, as kept for a case file): who said what. */
  lines: Array<{ from: 'customer' | 'bot' | 'staff'; text: string }>;
  /** The choices the last turn offered (still pressable), with the question they answer. */
  offered: Choice[];
}

/** What a staff command did: replies for the one who ran it. */
export interface StaffCommandResult {
  replies: Reply[];
  /** It did what was asked (a refusal, a usage hint or a lost claim race is not ok). */
  ok: boolean;
  /** The case it was about, when there was one. */
  caseId: string | null;
}

export interface Choice {
  id: string;
  label: string;
}

export interface SummarySection {
  heading: string;
  items: string[];
}

/** What the bot says. Adapters render each kind in their own way (Block Kit, embeds, HTML, text). */
export type Reply =
  /** `private`: meant for the author only; channels that can (Slack ephemeral, Discord ephemeral) show it so. */
  | { kind: 'text'; text: string; private?: boolean }
  | { kind: 'choices'; text: string; choices: Choice[] }
  | { kind: 'steps'; title: string; steps: string[] }
  | { kind: 'summary'; title: string; sections: SummarySection[] };

/** The outcome of one turn: replies plus what the bot understood, for logs, tests and the scripted chat. */
export interface TurnResult {
  replies: Reply[];
  /** Intent recognised from this turn's text; null for a choice press or an answer inside a flow. */
  intent: string | null;
  confidence: number;
  /** The rejection reasons this turn recognised in the customer's text, all of them, in the order stated ([] when none). */
  reasons: string[];
  /** The walkthrough active after this turn. */
  flow: string | null;
  escalation: { id: string } | null;
  /**
   * The customer's message held a PIN-, SSN- or token-like secret. It was redacted before use;
   * channels that can remove the original from a public place (Discord) should.
   */
  inputHadSecret: boolean;
  /**
   * For a message that pressed a choice: `accepted`, or `refused` when the choice was stale (from an
   * older message) or unknown and the bot said so. Null for plain text. Channels use it to close the
   * old buttons only on an accepted press and to show a refusal privately.
   */
  press: 'accepted' | 'refused' | null;
}

/** What a turn that read nothing of the customer's text understood: nothing (a busy or failed store, a staff line). */
export const NOTHING_UNDERSTOOD: Omit<TurnResult, 'replies'> = {
  intent: null,
  confidence: 0,
  reasons: [],
  flow: null,
  inputHadSecret: false,
  press: null,
  escalation: null,
};

/** Plain-text rendering of any reply, shared by text-only channels and the scripted chat. */
export function replyToText(reply: Reply): string {
  switch (reply.kind) {
    case 'text':
    case 'choices':
      return reply.text;
    case 'steps':
      return [reply.title, ...reply.steps.map((step, i) => `${i + 1}. ${step}`)].join('\n');
    case 'summary':
      return [reply.title, ...reply.sections.flatMap((s) => ['', `${s.heading}:`, ...s.items.map((item) => `- ${item}`)])].join('\n');
  }
}

export function replyChoices(reply: Reply): Choice[] {
  return reply.kind === 'choices' ? reply.choices : [];
}

/** Provider branding that fills `{{company}}`, `{{portal}}` and `{{support_email}}` in content. */
export interface Branding {
  company: string;
  portal: string;
  support_email: string;
}

/**
 * The defaults of configurable wording (branding, business hours) as a customer writing in Spanish reads
 * them. A value the operator set is shown as set: only these defaults are translated.
 */
export const DEFAULTS_IN_SPANISH: Readonly<Record<string, string>> = {
  'your new phone provider': 'su nuevo proveedor de telefonía',
  'the porting portal': 'el portal de portabilidad',
  'Monday to Friday, 9:00 to 17:00': 'de lunes a viernes, de 9:00 a 17:00',
};

export const DEFAULT_BRANDING: Branding = {
  company: 'your new phone provider',
  portal: 'the porting portal',
  support_email: 'support@example.com',
};
