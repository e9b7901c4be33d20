// The summary figures the benches print.

/** The median of numbers (the mean of the middle two for an even count). */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** The middle item of `items` ordered by `by(item)` (the upper middle for an even count): a real run, not a mean. */
export function middleBy(items, by) {
  return [...items].sort((a, b) => by(a) - by(b))[Math.floor(items.length / 2)];
}

/** The run with the least wall time: other processes on a shared machine only ever make a run slower. */
export function fastest(runs) {
  return runs.reduce((a, b) => (b.wall < a.wall ? b : a));
}
