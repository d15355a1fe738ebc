// A stand-in for the load balancer in front of several live nodes: a TCP proxy that hands
// each new connection to the first upstream that accepts it, in the order given, as a
// balancer with passive health checks does once a node stops listening. A connection
// stays on the node it reached until one side closes it.
import net from "node:net";

export interface FailoverProxy {
  port: number;
  /** The upstream port each connection was handed to, in order of arrival. */
  routes: number[];
  close(): Promise<void>;
}

export async function aFailoverProxy(upstreamPorts: number[]): Promise<FailoverProxy> {
  const open = new Set<net.Socket>();
  const routes: number[] = [];
  const server = net.createServer((client) => {
    open.add(client);
    client.once("close", () => open.delete(client));
    client.pause();
    const tryUpstream = (index: number): void => {
      if (index >= upstreamPorts.length) return void client.destroy();
      const upstream = net.connect(upstreamPorts[index]!, "127.0.0.1");
      upstream.once("error", () => tryUpstream(index + 1));
      upstream.once("connect", () => {
        routes.push(upstreamPorts[index]!);
        open.add(upstream);
        upstream.removeAllListeners("error");
        upstream.once("close", () => open.delete(upstream));
        const end = () => (client.destroy(), upstream.destroy());
        upstream.on("error", end);
        client.on("error", end);
        upstream.once("close", end);
        client.once("close", end);
        client.pipe(upstream).pipe(client);
        client.resume();
      });
    };
    tryUpstream(0);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    routes,
    async close() {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
