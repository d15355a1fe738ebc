// Request shapes of the locations service: they validate, type the handlers and feed the
// OpenAPI document.
import { z } from "zod";
import { listQuery } from "../../mixins/api/pagination.ts";
import { restInput } from "../../mixins/api/validated.ts";

const AreaName = z.string().trim().min(1).max(120);

export const ListCommunes = restInput({
  query: listQuery(["name", "region", "department"], { region: AreaName.optional(), department: AreaName.optional() }),
});
export const Reload = z.object({}).loose();
