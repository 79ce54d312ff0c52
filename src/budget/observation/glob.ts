/**
 * A matcher for `pattern` over the whole text: `*` is any run (also empty), `?` one character,
 * everything else literal. Iterative two-pointer matching with one backtrack point: at most
 * O(|pattern| × |text|) steps, never the exponential backtracking of a naive or RegExp matcher.
 */
export function globMatcher(pattern: string): (text: string) => boolean {
  const p = Array.from(pattern);
  return (text: string): boolean => {
    const t = Array.from(text);
    let pi = 0;
    let ti = 0;
    let star = -1; // position of the last `*` seen in the pattern
    let starText = 0; // where in the text that `*` currently ends
    while (ti < t.length) {
      if (pi < p.length && (p[pi] === '?' || (p[pi] !== '*' && p[pi] === t[ti]))) {
        pi += 1;
        ti += 1;
      } else if (pi < p.length && p[pi] === '*') {
        star = pi;
        starText = ti;
        pi += 1;
      } else if (star >= 0) {
        // Let the last `*` swallow one more character and retry from there.
        starText += 1;
        ti = starText;
        pi = star + 1;
      } else {
        return false;
      }
    }
    while (pi < p.length && p[pi] === '*') pi += 1;
    return pi === p.length;
  };
}
