// The OpenAPI 3.1 document, built from the same zod schemas that validate each request
// and from the services' `rest` declarations, so it cannot drift from the code. 3.1, not
// 3.0: zod writes JSON Schema 2020-12 (`anyOf` with `{type: "null"}` for a nullable
// field), which is 3.1's schema dialect and which 3.0 tooling rejects.
import type { ServiceSchema } from "moleculer";
import { z } from "zod";

const PUBLIC_ACTIONS = new Set(["accounts.register", "accounts.login", "accounts.refresh"]);

const ErrorBody = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message", "details"],
      properties: {
        code: { type: "string", example: "validation_failed" },
        message: { type: "string" },
        details: { description: "Per-code details (any JSON value, or null), e.g. { fields: [{ path, message }] } for validation_failed" },
      },
    },
  },
};

function jsonSchema(schema: z.ZodType) {
  const { $schema, ...rest } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  return rest;
}

function parameters(schema: z.ZodType | undefined, where: "query" | "path") {
  if (!(schema instanceof z.ZodObject)) return [];
  return Object.entries(schema.shape as Record<string, z.ZodType>).map(([name, field]) => ({
    name,
    in: where,
    required: where === "path" || !field.safeParse(undefined).success,
    schema: jsonSchema(field),
  }));
}

interface DocumentedAction {
  rest?: unknown;
  handler?: { input?: z.ZodType };
}

export function buildOpenApi(services: ServiceSchema[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const service of services) {
    const base = String(service.settings?.rest ?? `/${service.name}`);
    for (const [name, action] of Object.entries((service.actions ?? {}) as Record<string, DocumentedAction>)) {
      if (typeof action.rest !== "string" || !(action.handler?.input instanceof z.ZodObject)) continue;
      const [method, route] = action.rest.split(" ");
      // "GET /" is the collection itself: /api/business/branches/, not …/branches//.
      const path = `/api${base}${route === "/" ? "" : route}/`.replace(/:(\w+)/g, "{$1}");
      const input = action.handler.input.shape as Record<string, z.ZodType>;
      const body = input.body;
      const fullName = `${service.name}.${name}`;
      paths[path] ??= {};
      paths[path][method.toLowerCase()] = {
        operationId: fullName,
        tags: [service.name],
        security: PUBLIC_ACTIONS.has(fullName) ? [] : [{ bearerAuth: [] }],
        parameters: [...parameters(input.params, "path"), ...parameters(input.query, "query")],
        ...(body && !(body instanceof z.ZodUnknown)
          ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(body) } } } }
          : {}),
        responses: {
          "2XX": { description: "Success" },
          default: { description: "Error", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
        },
      };
    }
  }
  return {
    openapi: "3.1.0",
    info: { title: "SmartQueue API", version: "0.1.0", description: "Virtual queues and appointments for public offices." },
    servers: [{ url: "/" }],
    paths,
    components: {
      securitySchemes: { bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
      schemas: { Error: ErrorBody },
    },
  };
}
