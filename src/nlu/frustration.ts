/**
 * Clear frustration, from a few strong signals: exasperated phrases, insults aimed at the bot, swearing,
 * shouting. One signal is common in a stressed customer's notice; two or more mean a person should step in.
 */
const PHRASES =
  /\b(useless|ridiculous|fed up|sick of|waste of (my )?time|this is (a )?joke|not helping|you'?re not helping|worst|terrible|unacceptable|pathetic|furious|so angry|i give up|fuck\w*|shit\w*|damn|wtf|ffs|screw this|stupid bot|dumb bot|talk to a (real )?human already)\b/gi;
const REPEATED_PUNCTUATION = /[!?]{3,}/;

export function isClearlyFrustrated(text: string): boolean {
  let signals = (text.match(PHRASES) ?? []).length;
  if (REPEATED_PUNCTUATION.test(text)) signals++;
  const words = text.match(/[A-Za-z]{3,}/g) ?? [];
  if (words.length >= 4 && words.filter((w) => w === w.toUpperCase()).length / words.length > 0.7) signals++;
  return signals >= 2;
}
