/**
 * Runs the turns of one conversation one after another in this process, each with the posting of its
 * replies: two quick messages or a double press neither interleave their answers nor overtake each
 * other. (Across instances the bot's conversation lock keeps the state in order; this keeps the posts.)
 */
export type TurnQueue = <T>(conversationKey: string, turn: () => Promise<T>) => Promise<T>;

export function createTurnQueue(): TurnQueue {
  const tails = new Map<string, Promise<unknown>>();
  return (conversationKey, turn) => {
    const next = (tails.get(conversationKey) ?? Promise.resolve()).catch(() => undefined).then(turn);
    tails.set(conversationKey, next);
    const forget = () => void (tails.get(conversationKey) === next && tails.delete(conversationKey));
    next.then(forget, forget);
    return next;
  };
}
