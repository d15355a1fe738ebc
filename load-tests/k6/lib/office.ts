// What a k6 script sets up through the public API before it measures, in the order and
// with the requests of the Node harnesses' fixtures (load-tests/lib/fixtures.ts): the
// platform admin signs in and creates an organisation with one branch, an agent, queues
// with counters, citizens and, for screens, a display token. A deployment keeps what
// earlier runs created, so each run makes its own organisation and its own phone numbers.
import { sleep } from "k6";
import type { RefinedResponse } from "k6/http";
import {
  createAgent, createBranch, createCounter, createDisplayToken, createOrganization, createQueue, registerCitizen, signIn, type ApiRequest,
} from "../../lib/public-api.ts";
import { body, send } from "./http.ts";
import { required, text } from "./env.ts";

export interface Queue {
  id: string;
  counters: string[];
}

export interface Office {
  agent: string;
  queues: Queue[];
  /** Citizens' access tokens. */
  citizens: string[];
  /** Opens the branch's queue channels, when screens were asked for. */
  displayToken: string | null;
}

export interface OfficeShape {
  name: string;
  type: string;
  queues: number;
  countersPerQueue: number;
  /** "File" gives "File 0", "File 1", … */
  queueName: string;
  citizens: number;
  screens: boolean;
}

const PASSWORD = text("LOAD_PASSWORD", "passw0rd-load");
const AUTH_ATTEMPTS = 10;

/** The value of a created thing's field; a setup step that fails stops the run, naming the step. */
function field(res: RefinedResponse<"text">, name: string, step: string): string {
  const value = body(res)?.[name];
  if (typeof value !== "string") throw new Error(`${step}: ${res.status} ${res.body}`);
  return value;
}

/**
 * Sign-in and sign-up are limited per client address (AUTH_RATE_LIMIT a minute): a setup
 * that signs up many citizens waits as the deployment's Retry-After asks.
 */
function authenticate(request: ApiRequest, expected: number[]): RefinedResponse<"text"> {
  for (let attempt = 1; ; attempt++) {
    const res = send(request, undefined, [...expected, 429]);
    if (res.status !== 429 || attempt === AUTH_ATTEMPTS) return res;
    sleep(Number(res.headers["Retry-After"] ?? 2) || 2);
  }
}

/** The last seven digits of a phone number no earlier run used: the run's start in seconds, plus `offset`. */
function runDigits(runStart: number, offset: number): string {
  return String((runStart + offset) % 10_000_000).padStart(7, "0");
}

export function setUpOffice(shape: OfficeShape): Office {
  const runStart = Math.floor(Date.now() / 1000);
  const admin = field(authenticate(signIn(required("ADMIN_PHONE"), required("ADMIN_PASSWORD")), [200]), "access", "admin sign-in");
  const organizationId = field(send(createOrganization(`${shape.name} ${runDigits(runStart, 0)}`, shape.type), admin), "id", "organisation");
  const branchId = field(send(createBranch(organizationId, "Agence Plateau"), admin), "id", "branch");

  const agentPhone = `+22177${runDigits(runStart, 0)}`;
  field(send(createAgent(agentPhone, PASSWORD, organizationId), admin), "id", "agent");
  const agent = field(authenticate(signIn(agentPhone, PASSWORD), [200]), "access", "agent sign-in");

  const queues: Queue[] = [];
  for (let q = 0; q < shape.queues; q++) {
    const id = field(send(createQueue(organizationId, branchId, `${shape.queueName} ${q}`), admin), "id", "queue");
    const counters: string[] = [];
    for (let c = 0; c < shape.countersPerQueue; c++) counters.push(field(send(createCounter(id, `Guichet ${c + 1}`), admin), "id", "counter"));
    queues.push({ id, counters });
  }

  // A number an earlier run registered is signed in instead (same password).
  const citizens: string[] = [];
  for (let i = 0; i < shape.citizens; i++) {
    const phone = `+22178${runDigits(runStart, i)}`;
    const registered = authenticate(registerCitizen(phone, PASSWORD), [201, 409]);
    citizens.push(field(registered.status === 409 ? authenticate(signIn(phone, PASSWORD), [200]) : registered, "access", "citizen"));
  }

  const displayToken = shape.screens ? field(send(createDisplayToken(branchId, "Écran de charge"), admin), "token", "display token") : null;
  return { agent, queues, citizens, displayToken };
}
