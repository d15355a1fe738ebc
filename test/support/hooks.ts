// Root hooks: one MongoDB-compatible server (FerretDB unless MONGO_URL or mongod) and one
// SmartQueue node for the whole run, stopped at the end. Tests keep apart by creating
// their own users and organisations.
import { startTestSystem, stopTestSystems } from "./system.ts";

// Mocha runs without `exit: true`: the run ends when the last handle closes. A handle a
// test leaked would keep it alive for ever, so a watchdog that does not itself keep the
// process alive names what is still open and fails the run.
const LEAK_GRACE_MS = 30_000;

function failOnLeakedHandles(): void {
  setTimeout(() => {
    console.error(`still open ${LEAK_GRACE_MS / 1000} s after the last test:`, process.getActiveResourcesInfo());
    process.exit(1);
  }, LEAK_GRACE_MS).unref();
}

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(300_000); // the first run on a machine builds FerretDB
    await startTestSystem();
  },
  async afterAll(this: Mocha.Context) {
    this.timeout(30_000);
    await stopTestSystems();
    failOnLeakedHandles();
  },
};
