// Servers started here (the embedded database, a benchmark's nodes) get their port from
// freePort before they listen. A port from the kernel's ephemeral range can meanwhile be
// taken by an outgoing connection (`npm run bench` failed so, with 10,000 screens'
// sockets open): freePort chooses below that range, a port nothing listens on.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import net from "node:net";
import { freePort } from "../../scripts/mongo-server.ts";

describe("freePort", () => {
  it("gives ports below the kernel's ephemeral range that a server can listen on", async () => {
    const lowestEphemeral = Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]);
    const ports = await Promise.all(Array.from({ length: 8 }, () => freePort()));
    for (const port of ports) {
      assert.ok(port < lowestEphemeral, `${port} is in the ephemeral range (from ${lowestEphemeral})`);
      const server = net.createServer();
      await new Promise<void>((resolve, reject) => server.once("error", reject).listen(port, "127.0.0.1", resolve));
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
