// Series values are stored as float32: written naively they print as 12.300000190734863. This
// finds the shortest decimal that reads back as the same float32, so CSV cells stay clean and a
// reader that rounds to float32 gets the stored value exactly.

export function shortestFloat32(value: number): number {
  if (!Number.isFinite(value) || Number.isInteger(value)) return value;
  const target = Math.fround(value);
  for (let digits = 1; digits < 9; digits++) {
    const candidate = Number(target.toPrecision(digits));
    if (Math.fround(candidate) === target) return candidate;
  }
  return Number(target.toPrecision(9));
}
