/**
 * Indices of the k largest scores, best first, skipping indices `skip` rejects (filters apply
 * before truncation). One pass with a small sorted buffer: most scores fail the threshold test.
 */
export function topK(
  scores: ArrayLike<number>,
  k: number,
  skip?: (index: number) => boolean,
): number[] {
  const idx: number[] = [];
  const val: number[] = [];
  let threshold = -Infinity;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (idx.length === k && s <= threshold) continue;
    if (skip?.(i)) continue;
    let pos = idx.length;
    while (pos > 0 && val[pos - 1] < s) pos--;
    idx.splice(pos, 0, i);
    val.splice(pos, 0, s);
    if (idx.length > k) {
      idx.pop();
      val.pop();
    }
    if (idx.length === k) threshold = val[k - 1];
  }
  return idx;
}
