// `npm run create-admin` as an operator runs it: a separate process against the database.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { aPhone, login } from "../support/fixtures.ts";
import { mongoUrl } from "../support/system.ts";

const run = promisify(execFile);

async function createAdmin(...args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", "scripts/create-admin.ts", ...args], {
      env: { ...process.env, MONGO_URL: mongoUrl() },
    });
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const failed = err as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

describe("npm run create-admin", function () {
  // Each case starts the script several times, each start compiling its TypeScript: on a
  // busy machine that outlasts the default 20 s. A bound on failure, not a wait.
  this.timeout(120_000);
  it("creates a platform admin who can log in, and leaves an existing user alone", async () => {
    const phone = aPhone();
    const first = await createAdmin("--phone", phone, "--password", "Adm1n-pass-ok");
    assert.equal(first.code, 0, first.output);
    assert.match(first.output, /Created the platform admin/);
    assert.equal((await login(phone, "Adm1n-pass-ok")).user.role, "platform_admin");
    const again = await createAdmin("--phone", phone, "--password", "Other-pass-1");
    assert.equal(again.code, 0, again.output);
    assert.match(again.output, /already exists; nothing changed/);
  });

  it("fails with one clear line on missing arguments, a bad phone or a weak password", async () => {
    const missing = await createAdmin("--phone", aPhone());
    assert.equal(missing.code, 1);
    assert.match(missing.output, /^usage: npm run create-admin/m);
    const badPhone = await createAdmin("--phone", "12", "--password", "Adm1n-pass-ok");
    assert.equal(badPhone.code, 1);
    assert.match(badPhone.output, /phone/i);
    const weak = await createAdmin("--phone", aPhone(), "--password", "short");
    assert.equal(weak.code, 1);
    assert.match(weak.output, /password/i);
  });
});
