import assert from 'node:assert/strict';
import net from 'node:net';
import { KafkaSockets } from '../../../../src/adapters/kafka/kafka-sockets';
import { until } from '../../../support/poll';

describe('the bridge closes every Kafka socket at stop (src/adapters/kafka/kafka-sockets.ts)', () => {
  let server: net.Server;
  let port: number;
  const accepted: net.Socket[] = [];

  before(async () => {
    // Like a broker: closes a connection once the client has ended its side.
    server = net.createServer((s) => {
      accepted.push(s);
      s.on('end', () => s.end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
  });
  after(() => new Promise((resolve) => server.close(resolve)));

  const connect = (sockets: KafkaSockets) =>
    new Promise<net.Socket>((resolve) => {
      const s = sockets.factory({ host: '127.0.0.1', port, ssl: null as never, onConnect: () => resolve(s) });
    });

  it('ends the sockets a client lost track of, counts them, and leaves none open', async () => {
    const sockets = new KafkaSockets();
    const disconnected = await connect(sockets);
    const lost = [await connect(sockets), await connect(sockets)];
    disconnected.end(); // what kafkajs's disconnect() does with the sockets it still knows
    const ends: string[] = [];
    for (const s of lost) s.on('end', () => ends.push('end'));

    assert.equal(await sockets.closeAll(), 2);
    await until(
      'every socket is closed',
      async () => [disconnected, ...lost].every((s) => s.closed) && ends.length === 2,
    );
    // The broker closed them: the client saw an 'end', as when a broker goes away, and can clean up after it.
    assert.deepEqual(ends, ['end', 'end']);
    assert.equal(await sockets.closeAll(), 0);
  });

  it('destroys with an error what the broker does not close in time, so the client stops its timers', async () => {
    const held: net.Socket[] = [];
    const silent = net.createServer({ allowHalfOpen: true }, (c) => held.push(c)); // never closes its side
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const sockets = new KafkaSockets();
      const s = await new Promise<net.Socket>((resolve) => {
        const c = sockets.factory({
          host: '127.0.0.1',
          port: (silent.address() as net.AddressInfo).port,
          ssl: null as never,
          onConnect: () => resolve(c),
        });
      });
      const errors: string[] = [];
      s.on('error', (err) => errors.push(err.message));
      assert.equal(await sockets.closeAll(50), 1);
      // kafkajs learns of the close through its error handler (and stops that connection's timers).
      await until('the client hears of the close', async () => errors.length === 1 && s.closed);
    } finally {
      for (const c of held) c.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('refuses a connection asked for after closeAll (a refresh still retrying), so nothing reopens', async () => {
    const sockets = new KafkaSockets();
    await sockets.closeAll();
    const before = accepted.length;
    let connected = false;
    const late = sockets.factory({ host: '127.0.0.1', port, ssl: null as never, onConnect: () => (connected = true) });
    const error = await new Promise<Error>((resolve) => late.on('error', resolve));
    assert.match(error.message, /bridge has stopped/);
    await until('the refused socket is closed', async () => late.closed);
    assert.equal(connected, false);
    assert.equal(accepted.length, before, 'the broker saw no connection');
  });
});
