// Comparing what a provider sent with what we compute, in constant time.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

export const hmacSha256Hex = (secret: string, payload: string) => createHmac("sha256", secret).update(payload).digest("hex");
export const sha256Hex = (value: string) => createHash("sha256").update(value).digest("hex");

export function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
