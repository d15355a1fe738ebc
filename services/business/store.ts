// The business services' collections: organisations, their branches (sites) and the
// services they offer.
import { Schema, type Connection, type Model } from "mongoose";
import { modelOf } from "../../mixins/db/models.ts";
import type { OpeningHours } from "./opening-hours.ts";

export const ORGANIZATION_TYPES = ["bank", "hospital", "town_hall", "telecom", "administration", "other"] as const;
export type OrganizationType = (typeof ORGANIZATION_TYPES)[number];

export interface OrganizationDoc {
  name: string;
  type: OrganizationType;
  description: string;
  phone: string | null;
  email: string | null;
  website: string | null;
  is_active: boolean;
  created_at: Date;
  updated_at: Date;
}

export interface BranchDoc {
  organization_id: string;
  name: string;
  address: string;
  commune: string;
  latitude: number | null;
  longitude: number | null;
  opening_hours: OpeningHours;
  holidays: string[];
  time_zone: string;
  is_active: boolean;
  created_at: Date;
  updated_at: Date;
}

export interface ServiceDoc {
  organization_id: string;
  branch_id: string | null;
  name_fr: string;
  name_en: string;
  description_fr: string;
  description_en: string;
  expected_duration_minutes: number;
  appointments_enabled: boolean;
  /** Slot length, places per slot and cancel/reschedule cut-off, for appointments. */
  slot_minutes: number;
  slot_capacity: number;
  booking_cutoff_minutes: number;
  /** null: the branch's hours. */
  opening_hours: OpeningHours | null;
  fee_xof: number;
  /** What booking an appointment costs up front, XOF (0: nothing); the appointment waits for its payment. */
  deposit_xof: number;
  is_active: boolean;
  created_at: Date;
  updated_at: Date;
}

const timestamps = { createdAt: "created_at", updatedAt: "updated_at" } as const;

const organizationSchema = new Schema<OrganizationDoc>(
  {
    name: { type: String, required: true },
    type: { type: String, enum: ORGANIZATION_TYPES, required: true },
    description: { type: String, default: "" },
    phone: { type: String, default: null },
    email: { type: String, default: null },
    website: { type: String, default: null },
    is_active: { type: Boolean, default: true },
  },
  { collection: "organizations", timestamps },
);

const branchSchema = new Schema<BranchDoc>(
  {
    organization_id: { type: String, required: true, index: true },
    name: { type: String, required: true },
    address: { type: String, default: "" },
    commune: { type: String, default: "" },
    latitude: { type: Number, default: null },
    longitude: { type: Number, default: null },
    opening_hours: { type: Schema.Types.Mixed, required: true },
    holidays: { type: [String], default: [] },
    time_zone: { type: String, required: true },
    is_active: { type: Boolean, default: true },
  },
  { collection: "branches", timestamps, minimize: false },
);

const serviceSchema = new Schema<ServiceDoc>(
  {
    organization_id: { type: String, required: true, index: true },
    branch_id: { type: String, default: null, index: true },
    name_fr: { type: String, required: true },
    name_en: { type: String, default: "" },
    description_fr: { type: String, default: "" },
    description_en: { type: String, default: "" },
    expected_duration_minutes: { type: Number, required: true },
    appointments_enabled: { type: Boolean, default: false },
    slot_minutes: { type: Number, required: true },
    slot_capacity: { type: Number, required: true },
    booking_cutoff_minutes: { type: Number, required: true },
    opening_hours: { type: Schema.Types.Mixed, default: null },
    fee_xof: { type: Number, default: 0 },
    deposit_xof: { type: Number, default: 0 },
    is_active: { type: Boolean, default: true },
  },
  { collection: "services", timestamps, minimize: false },
);

// Each collection is its entity service's alone (business.organizations, .branches,
// .services, on the db mixin): a service builds its own model, and no other.
export const organizationsModel = (db: Connection): Model<OrganizationDoc> => modelOf(db, "Organization", organizationSchema);
export const branchesModel = (db: Connection): Model<BranchDoc> => modelOf(db, "Branch", branchSchema);
export const servicesModel = (db: Connection): Model<ServiceDoc> => modelOf(db, "Service", serviceSchema);

