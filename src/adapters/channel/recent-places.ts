/**
 * The places (threads) this process has answered in lately, kept in memory: when the store cannot be
 * read, a message in a thread the bot just answered in is still recognised as the customer's, and they
 * hear that the store is down instead of silence. Bounded: the oldest places are forgotten first.
 */
export interface RecentPlaces {
  remember(key: string): void;
  has(key: string): boolean;
}

export function createRecentPlaces(limit = 10_000): RecentPlaces {
  const places = new Set<string>();
  return {
    remember(key) {
      places.delete(key);
      places.add(key);
      if (places.size > limit) places.delete(places.values().next().value as string);
    },
    has: (key) => places.has(key),
  };
}
