// What a node hands each of its services when it creates them.
import type { Connection } from "mongoose";
import type { Config } from "../config/index.ts";

export interface NodeDeps {
  config: Config;
  db: Connection;
  /**
   * The same database through `MONGO_BEHIND_POOL` sockets (default 1), for the writes made
   * behind an answer: the projector's, the notifications' and the analytics rollups'. The
   * embedded server takes writes one at a time in arrival order, so a journal append sent
   * on `db` finds at most that many of them ahead of it, however busy they are.
   */
  behind: Connection;
}
