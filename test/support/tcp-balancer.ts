import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP load balancer in front of several exam-site instances, as a cloud's would be without
 * sticky sessions: each new connection goes to the preferred backend, or to the next one that
 * accepts it when that one is down.
 */
export interface TcpBalancer {
  url: string;
  /** New connections go to `backends[index]` first (existing ones stay where they are). */
  prefer(index: number): void;
  close(): Promise<void>;
}

export async function startTcpBalancer(backends: number[]): Promise<TcpBalancer> {
  let preferred = 0;
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };

  const server: Server = createServer((client) => {
    track(client);
    client.pause();
    const order = backends.map((_, i) => backends[(preferred + i) % backends.length]!);
    const attempt = (index: number) => {
      if (index >= order.length || client.destroyed) return client.destroy();
      const upstream = connect(order[index]!, '127.0.0.1');
      upstream.once('error', () => attempt(index + 1));
      upstream.once('connect', () => {
        track(upstream);
        upstream.removeAllListeners('error');
        upstream.on('error', () => client.destroy());
        client.on('error', () => upstream.destroy());
        upstream.once('close', () => client.destroy());
        client.once('close', () => upstream.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
    };
    attempt(0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    prefer(index) {
      preferred = index;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
