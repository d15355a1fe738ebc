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

export const Latitude = z.number().min(-90).max(90);
export const Longitude = z.number().min(-180).max(180);

/** Forward ({ address }) or reverse ({ latitude, longitude }): one object, so a bad field is named. */
export const Geocode = restInput({
  body: z
    .object({ address: z.string().trim().min(2).max(300).optional(), latitude: Latitude.optional(), longitude: Longitude.optional(), limit: z.number().int().min(1).max(20).default(5) })
    .strict()
    .superRefine((body, ctx) => {
      const point = body.latitude !== undefined || body.longitude !== undefined;
      if (body.address !== undefined && point) ctx.addIssue({ code: "custom", path: ["address"], message: "give an address or coordinates, not both" });
      else if (body.address === undefined && !point) ctx.addIssue({ code: "custom", path: ["address"], message: "is required (or give latitude and longitude)" });
      else if (point && body.latitude === undefined) ctx.addIssue({ code: "custom", path: ["latitude"], message: "is required with longitude" });
      else if (point && body.longitude === undefined) ctx.addIssue({ code: "custom", path: ["longitude"], message: "is required with latitude" });
    }),
});
