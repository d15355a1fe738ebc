// What a node hands each of its services when it creates them.
import type { Connection } from "mongoose";
import type { Config } from "../config/index.ts";

export interface NodeDeps {
  config: Config;
  db: Connection;
}
