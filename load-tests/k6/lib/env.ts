// The k6 scripts' settings, from environment variables (`k6 run -e NAME=value …` or the
// shell's environment), each with a default that suits a deployment on this machine.

export function text(name: string, fallback: string): string {
  return __ENV[name] || fallback;
}

export function required(name: string): string {
  const value = __ENV[name];
  if (!value) throw new Error(`set ${name} (k6 run -e ${name}=…)`);
  return value;
}

export function count(name: string, fallback: number): number {
  const value = Number(__ENV[name] || fallback);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number ≥ 0, not ${__ENV[name]}`);
  return value;
}

/** Where the deployment answers: its REST gateway and its live channels. */
export const BASE_URL = text("BASE_URL", "http://127.0.0.1:3000");
export const WS_URL = text("WS_URL", "ws://127.0.0.1:3001");
