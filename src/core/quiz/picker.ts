import type { Question } from '../../content/loader.ts';

function shuffled<T>(items: T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/**
 * Up to `count` questions: ones the member has never seen first, in random order; once every
 * matching question has been seen, the ones seen longest ago. So nothing repeats until the
 * whole filtered bank has been seen.
 */
export function pickQuestions(candidates: Question[], lastSeen: Map<string, Date>, count: number, random: () => number): Question[] {
  const unseen = shuffled(
    candidates.filter((q) => !lastSeen.has(q.id)),
    random,
  );
  if (unseen.length >= count) return unseen.slice(0, count);
  const seenOldestFirst = shuffled(
    candidates.filter((q) => lastSeen.has(q.id)),
    random,
  ).sort((a, b) => lastSeen.get(a.id)!.getTime() - lastSeen.get(b.id)!.getTime());
  return [...unseen, ...seenOldestFirst.slice(0, count - unseen.length)];
}
