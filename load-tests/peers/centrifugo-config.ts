// Centrifugo v6's configuration for the displays benchmark (keys as `centrifugo
// defaultconfig` prints them for v6.9.1): connections authenticate with an HS256 JWT
// signed with the bench secret, any connected client may subscribe to a channel without
// a namespace (the bench's screens subscribe to their queue), publishes come through the
// HTTP API with an API key, and a connection whose write queue passes the backpressure
// limit is disconnected (client.queue_max_size), as in SmartQueue.
export function centrifugoConfig(options: { port: number; secret: string; apiKey: string; maxBackpressureBytes: number }) {
  return {
    http_server: { address: "127.0.0.1", port: options.port },
    log: { level: "error" },
    usage_stats: { disabled: true },
    client: { token: { hmac_secret_key: options.secret }, queue_max_size: options.maxBackpressureBytes },
    channel: { without_namespace: { allow_subscribe_for_client: true } },
    http_api: { key: options.apiKey },
  };
}
