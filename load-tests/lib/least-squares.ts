// A straight line through (x, y) readings, for per-item costs such as bytes per socket:
// the slope weighs every reading, so no single one makes the figure.
type Points = Array<[x: number, y: number]>;

const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;

function fit(points: Points) {
  const mx = mean(points.map((p) => p[0]));
  const my = mean(points.map((p) => p[1]));
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  const b = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0) / sxx;
  return { b, a: my - b * mx, sxx };
}

/** Least-squares slope of y over x. */
export function slope(points: Points): number {
  return fit(points).b;
}

/** Standard error of that slope (NaN with fewer than three readings). */
export function slopeError(points: Points): number {
  const { a, b, sxx } = fit(points);
  const residuals = points.reduce((s, [x, y]) => s + (y - a - b * x) ** 2, 0);
  return Math.sqrt(residuals / (points.length - 2) / sxx);
}
