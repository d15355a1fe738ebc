import assert from "node:assert/strict";
import { LogSms } from "../../services/notifications/providers/log-sms.ts";

describe("log SMS provider (development only)", () => {
  it("writes the message to the log, says it was not sent, and names itself log", async () => {
    const lines: unknown[][] = [];
    const sms = new LogSms({ info: (...args: unknown[]) => void lines.push(args) });
    const result = await sms.send({ to: "+221771234567", text: "Ticket A-001 : guichet 1" });
    assert.equal(sms.name, "log");
    assert.equal(result.provider, "log");
    assert.match(result.provider_message_id ?? "", /^log-/);
    assert.equal(lines.length, 1);
    assert.match(String(lines[0]![0]), /NOT SENT \(log provider\) to \+221771234567 .*Ticket A-001 : guichet 1/);
  });
});
