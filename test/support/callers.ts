// Callers as the gateway resolves them, for rules tested without a broker.
import type { AuthUser } from "../../mixins/api/meta.ts";

export const aCaller = (role: AuthUser["role"], organization_id: string | null = null): AuthUser => ({ id: `u-${role}-${organization_id}`, role, organization_id, jti: "j", exp: 0 });
