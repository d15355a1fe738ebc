// Root hooks: one MongoDB-compatible server (FerretDB unless MONGO_URL or mongod) and one
// SmartQueue node for the whole run, stopped at the end. Tests keep apart by creating
// their own users and organisations.
import { startTestSystem, stopTestSystems } from "./system.ts";

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(300_000); // the first run on a machine builds FerretDB
    await startTestSystem();
  },
  async afterAll(this: Mocha.Context) {
    this.timeout(30_000);
    await stopTestSystems();
  },
};
