import { createSchema, createYoga } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { createSubscription, type Subscription } from '#src/infra/bus-subscription.js';
import { useSharedSubscriptionResults, type DirectNext, type DirectNextContext } from '#src/api/plugins/shared-subscription-results.js';

/** A tiny schema whose subscription hands every subscriber the same event objects, and counts field executions. */
function setup() {
  const listeners = new Set<(event: object) => void>();
  let executions = 0;
  const schema = createSchema({
    typeDefs: /* GraphQL */ `
      type Query {
        ok: Boolean
      }
      type Tick {
        n: Int
        label(prefix: String): String
      }
      type Subscription {
        ticks(tag: String): Tick
      }
    `,
    resolvers: {
      Subscription: {
        ticks: {
          // Registers at once (a generator would only start on the first read).
          subscribe: () => {
            const queue: object[] = [];
            let wake: (() => void) | undefined;
            const listener = (event: object) => {
              queue.push(event);
              wake?.();
            };
            listeners.add(listener);
            const iterator: AsyncIterableIterator<object> = {
              async next() {
                while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
                return { value: queue.shift()!, done: false };
              },
              async return() {
                listeners.delete(listener);
                wake?.();
                return { value: undefined, done: true };
              },
              [Symbol.asyncIterator]: () => iterator,
            };
            return iterator;
          },
          resolve: (event: object) => event,
        },
      },
      Tick: {
        label: (event: { n: number }, args: { prefix?: string }) => {
          executions += 1;
          if (event.n === 13) throw new Error('unlucky');
          return `${args.prefix ?? ''}${event.n}`;
        },
      },
    },
  });
  const yoga = createYoga({
    schema,
    plugins: [useSharedSubscriptionResults((ctx) => String((ctx as { request: Request }).request.headers.get('x-tenant') ?? ''))],
  });
  return {
    yoga,
    executions: () => executions,
    subscribers: () => listeners.size,
    // One object per event, handed to every subscriber, as the event bus does.
    publish: (n: number) => {
      const event = { n };
      listeners.forEach((listener) => listener(event));
    },
  };
}

/** A transport's direct sender that records what it sends; `behind` makes the pushing path decline. */
function recorder(into: Buffer[], behind = () => false): DirectNext {
  return {
    send: (bytes) => void into.push(bytes),
    trySend: (bytes) => !behind() && into.push(bytes) > 0,
  };
}

async function openStream(yoga: ReturnType<typeof setup>['yoga'], query: string, tenant = 'a', serverContext: object = {}) {
  const controller = new AbortController();
  const response = await yoga.fetch(
    'http://yoga/graphql',
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'x-tenant': tenant },
      body: JSON.stringify({ query }),
      signal: controller.signal,
    },
    serverContext,
  );
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  return {
    async nextData(): Promise<any> {
      for (;;) {
        const match = /data: (\{.*\})\n\n/.exec(text);
        if (match) {
          text = text.slice(match.index + match[0].length);
          return JSON.parse(match[1]!);
        }
        const chunk = await reader.read();
        if (chunk.done) throw new Error('stream ended');
        text += decoder.decode(chunk.value);
      }
    },
    close: () => {
      controller.abort();
      void reader.cancel().catch(() => undefined);
    },
  };
}

describe('shared subscription results', () => {
  it('should execute one event once for subscribers asking the same thing, and apart for different variables or tenants', async () => {
    const s = setup();
    const same = 'subscription { ticks { n label(prefix: "#") } }';
    const streams = await Promise.all([openStream(s.yoga, same), openStream(s.yoga, same), openStream(s.yoga, same)]);
    const other = await openStream(s.yoga, 'subscription { ticks { n label(prefix: "$") } }');
    const elsewhere = await openStream(s.yoga, same, 'b');
    await expect.poll(() => s.subscribers()).toBe(5);

    s.publish(1);
    const answers = await Promise.all([...streams, other, elsewhere].map((stream) => stream.nextData()));
    expect(answers.slice(0, 3)).toEqual(Array(3).fill({ data: { ticks: { n: 1, label: '#1' } } }));
    expect(answers[3]).toEqual({ data: { ticks: { n: 1, label: '$1' } } });
    expect(answers[4]).toEqual({ data: { ticks: { n: 1, label: '#1' } } });
    // One execution for the three alike, one for the other prefix, one for the other tenant.
    expect(s.executions()).toBe(3);

    s.publish(2);
    await Promise.all([...streams, other, elsewhere].map((stream) => stream.nextData()));
    expect(s.executions()).toBe(6);
    for (const stream of [...streams, other, elsewhere]) stream.close();
    await expect.poll(() => s.subscribers()).toBe(0);
  });

  it('should hand an error-free shared result to each direct sender as the very same bytes, and send results with errors the usual way', async () => {
    const s = setup();
    const query = 'subscription { ticks { n label } }';
    const sent: Buffer[][] = [[], []];
    const streams = await Promise.all(
      sent.map((into) => openStream(s.yoga, query, 'a', { directNext: recorder(into) } satisfies DirectNextContext)),
    );
    await expect.poll(() => s.subscribers()).toBe(2);
    // The transport pulls results as long as the stream is open (graphql-ws always does; here a pending read).
    const reads = streams.map((stream) => stream.nextData());

    s.publish(1);
    await expect.poll(() => sent.map((into) => into.length)).toEqual([1, 1]);
    expect(sent[0]![0]).toBe(sent[1]![0]);
    expect(JSON.parse(sent[0]![0]!.toString('utf8'))).toEqual({ data: { ticks: { n: 1, label: '1' } } });
    expect(s.executions()).toBe(1);

    // An error must be masked by yoga and framed by the transport, so it leaves the direct path.
    s.publish(13);
    const [first, second] = await Promise.all(reads);
    expect(first.errors?.[0]?.message).toBe('Unexpected error.');
    expect(first).toEqual(second);
    expect(sent.map((into) => into.length)).toEqual([1, 1]);

    void streams.map((stream) => stream.nextData().catch(() => undefined));
    s.publish(2);
    await expect.poll(() => sent.map((into) => into.length)).toEqual([2, 2]);
    for (const stream of streams) stream.close();
    await expect.poll(() => s.subscribers()).toBe(0);
  });

  it("should send ready results from inside the publisher's delivery when the stream pushes, and keep order when one needs next()", async () => {
    // The event source is the bus's own subscription (it can push), one per subscriber, fed the same event objects.
    const subscriptions = new Set<Subscription>();
    const schema = createSchema({
      typeDefs: 'type Query { ok: Boolean } type Tick { n: Int label: String } type Subscription { ticks: Tick }',
      resolvers: {
        Subscription: {
          ticks: {
            subscribe: () => {
              const subscription = createSubscription({ onEnd: () => subscriptions.delete(subscription) });
              subscriptions.add(subscription);
              return subscription.iterator;
            },
            resolve: (event: object) => event,
          },
        },
        Tick: {
          label: (event: { n: number }) => {
            if (event.n === 13) throw new Error('unlucky');
            return `#${event.n}`;
          },
        },
      },
    });
    const yoga = createYoga({ schema, plugins: [useSharedSubscriptionResults(() => 'a')] });
    let seq = 0;
    const publish = (n: number) => {
      seq += 1;
      const event = { type: 'machine.state_changed', app: 'a', machineId: 'm', timestamp: 0, seq, epoch: 'e', n } as const;
      for (const subscription of subscriptions) subscription.deliver(event as never);
    };
    const sent: Buffer[] = [];
    let behind = false;
    const stream = await openStream(yoga, 'subscription { ticks { n label } }', 'a', { directNext: recorder(sent, () => behind) });
    await expect.poll(() => subscriptions.size).toBe(1);
    let read = stream.nextData();
    // The subscriber's loop arms its sink once it is waiting on the stream.
    await new Promise((resolve) => setTimeout(resolve, 10));

    publish(1);
    // Sent within publish itself: no promise between the bus and the socket.
    expect(sent.map(String)).toEqual(['{"data":{"ticks":{"n":1,"label":"#1"}}}']);

    // 13 has an error, so it must go the usual way; 2, published right after, must not overtake it.
    publish(13);
    publish(2);
    expect(sent).toHaveLength(1);
    expect((await read).errors?.[0]?.message).toBe('Unexpected error.');
    read = stream.nextData();
    await expect
      .poll(() => sent.map(String))
      .toEqual(['{"data":{"ticks":{"n":1,"label":"#1"}}}', '{"data":{"ticks":{"n":2,"label":"#2"}}}']);

    // A socket that is behind declines the push; the event still arrives, through next() and send().
    await new Promise((resolve) => setTimeout(resolve, 10));
    behind = true;
    publish(3);
    expect(sent).toHaveLength(2);
    behind = false;
    await expect.poll(() => sent.length).toBe(3);
    expect(String(sent[2])).toBe('{"data":{"ticks":{"n":3,"label":"#3"}}}');
    void read.catch(() => undefined);
    stream.close();
    await expect.poll(() => subscriptions.size).toBe(0);
  });
});
