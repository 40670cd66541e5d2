/** The rejection reasons portpilot knows. These are also the knowledge article ids and evaluation labels. */
export const REJECTION_IDS = [
  'multiple_accounts',
  'info_mismatch',
  'remaining_services',
  'end_user_info_incorrect',
  'freeze',
  'hunt_group',
  'inactive_number',
  'authorized_name',
  'pin_required',
  'pending_order',
  'under_contract',
  'google_voice_unlock',
  'unpaid_balance',
  'foc_date',
  'not_portable',
  'loa_invalid',
  'bill_copy_required',
  'resporg',
] as const;

export type RejectionId = (typeof REJECTION_IDS)[number];

/** Conversation intents every bot needs; each has a file in intents/meta/. */
export const CONVERSATION_IDS = ['greeting', 'help', 'human', 'thanks', 'cancel', 'restart', 'goodbye', 'back', 'skip', 'why', 'rejection_unspecified'] as const;

export type ConversationId = (typeof CONVERSATION_IDS)[number];

export const OUT_OF_SCOPE = 'out_of_scope';

/** "My port was rejected" without a reason: the bot asks for the notice. */
export const REJECTION_UNSPECIFIED = 'rejection_unspecified';

const rejectionSet: ReadonlySet<string> = new Set(REJECTION_IDS);

export function isRejectionId(id: string | null | undefined): id is RejectionId {
  return id != null && rejectionSet.has(id);
}
