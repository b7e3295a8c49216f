/**
 * A socket.io client for benchmarks that simulate thousands of viewers in one process: the real
 * protocol (engine.io 4 over a WebSocket, socket.io 5 packets on the main namespace) without
 * socket.io-client's layers of emitters, buffers and reconnection, so that the load generator
 * competes less with the server for the machine's cores. It speaks only what the benches use:
 * CONNECT with an auth payload, events, acknowledgements of our own emits, ping/pong.
 */
import WebSocket from 'ws';

type Listener = (payload: unknown) => void;

export class LeanSocketIoClient {
  private readonly ws: WebSocket;
  private readonly listeners = new Map<string, Listener>();
  private readonly acks = new Map<number, (payload: unknown) => void>();
  private nextAck = 0;

  private constructor(url: string) {
    const base = url.replace(/^http/, 'ws');
    this.ws = new WebSocket(`${base}/socket.io/?EIO=4&transport=websocket`, {
      perMessageDeflate: false,
    });
  }

  /** Opens the WebSocket and the main namespace with `auth`; rejects on CONNECT_ERROR. */
  static connect(url: string, auth: Record<string, unknown>): Promise<LeanSocketIoClient> {
    const client = new LeanSocketIoClient(url);
    return new Promise((resolve, reject) => {
      client.ws.once('error', reject);
      client.ws.once('close', () => reject(new Error('closed before connect')));
      client.ws.on('message', (data: Buffer) => {
        const text = data.toString();
        switch (text[0]) {
          case '0': // engine.io open: join the main namespace with the auth payload
            client.ws.send(`40${JSON.stringify(auth)}`);
            return;
          case '2': // ping
            client.ws.send('3');
            return;
          case '4':
            client.onPacket(text, resolve, reject);
            return;
          default:
            return;
        }
      });
    });
  }

  /** Registers the one handler of an event (the benches need one per event). */
  on(event: string, listener: Listener): void {
    this.listeners.set(event, listener);
  }

  /** Emits with an acknowledgement; rejects after `timeoutMs`. */
  emitWithAck(event: string, payload: unknown, timeoutMs = 60_000): Promise<unknown> {
    const id = this.nextAck++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.acks.delete(id);
        reject(new Error(`${event}: no acknowledgement in ${timeoutMs} ms`));
      }, timeoutMs);
      this.acks.set(id, (answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
      this.ws.send(`42${id}${JSON.stringify([event, payload])}`);
    });
  }

  close(): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send('41');
    this.ws.close();
  }

  /** A socket.io packet inside an engine.io message ('4' + socket.io type + …). */
  private onPacket(
    text: string,
    connected: (client: LeanSocketIoClient) => void,
    refused: (error: Error) => void,
  ): void {
    switch (text[1]) {
      case '0': // CONNECT accepted
        connected(this);
        return;
      case '4': // CONNECT_ERROR
        refused(new Error(text.slice(2)));
        return;
      case '2': {
        // EVENT: ["name", payload] (the server sends no ack ids to clients here)
        const [event, payload] = JSON.parse(text.slice(2)) as [string, unknown];
        this.listeners.get(event)?.(payload);
        return;
      }
      case '3': {
        // ACK: <id>[payload]
        const bracket = text.indexOf('[');
        const id = Number(text.slice(2, bracket));
        const [payload] = JSON.parse(text.slice(bracket)) as [unknown];
        this.acks.get(id)?.(payload);
        this.acks.delete(id);
        return;
      }
      default:
        return;
    }
  }
}
