import net from 'node:net';
import tls from 'node:tls';
import type { ISocketFactory } from 'kafkajs';
import { waitAtMost } from '../../shared/bounded';

/** How a Kafka client opens its connections (kafkajs's `socketFactory`). */
export type SocketFactory = ISocketFactory;

/** The keep-alive kafkajs sets on its own sockets. */
const KEEP_ALIVE_MS = 60_000;
/** How long closeAll waits for the broker to close what it was asked to. */
const CLOSE_GRACE_MS = 2_000;

/**
 * Every socket the bridge's kafkajs clients open, so none outlives the bridge.
 *
 * kafkajs (2.2.4) can lose track of a connection across a broker restart: the cluster drops the broker object from
 * its pool when its connection closes, the consumer group keeps using it as its coordinator, and the next heartbeat
 * reconnects it. `disconnect()` never reaches that socket; the broker keeps it open for connections.max.idle.ms
 * (10 minutes by default), and with it the process after `bridge stopped`.
 */
export class KafkaSockets {
  private readonly open = new Set<net.Socket>();
  private closed = false;

  /** kafkajs's `socketFactory`: the sockets kafkajs makes by default, tracked until they close. */
  readonly factory: SocketFactory = ({ host, port, ssl, onConnect }) => {
    const socket = ssl
      ? tls.connect({ host, port, ...(net.isIP(host) ? {} : { servername: host }), ...ssl }, onConnect)
      : net.connect({ host, port }, onConnect);
    socket.setKeepAlive(true, KEEP_ALIVE_MS);
    if (this.closed) {
      // A client asked for a connection after the bridge closed them all (a refresh still retrying): refused, so
      // nothing reopens what the bridge has shut. kafkajs sees a failed connection.
      socket.destroy(new Error('the bridge has stopped; no new Kafka connections'));
      return socket;
    }
    this.open.add(socket);
    socket.once('close', () => this.open.delete(socket));
    return socket;
  };

  /**
   * Closes the sockets still open and refuses new ones; call once every client has disconnected. A socket kafkajs lost track of is ended
   * like a client leaving, so the broker closes it and kafkajs sees the close (and stops the timers of that
   * connection); whatever has not closed within `graceMs` is destroyed with an error, which kafkajs handles (and
   * logs) like a failed connection, stopping those timers too. Returns how many kafkajs had lost track of.
   */
  async closeAll(graceMs = CLOSE_GRACE_MS): Promise<number> {
    this.closed = true;
    const open = [...this.open];
    const lost = open.filter((socket) => !socket.writableEnded).length;
    const closed = open.map((socket) => new Promise((resolve) => socket.once('close', resolve)));
    for (const socket of open) socket.end();
    await waitAtMost(Promise.all(closed), graceMs);
    const late = new Error(`not closed by the broker within ${graceMs} ms of the bridge's stop; closed by the bridge`);
    for (const socket of this.open) socket.destroy(late);
    return lost;
  }
}
