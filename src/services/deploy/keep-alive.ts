/**
 * What keeps a running deployment alive while its strategy works: every third of the lease TTL the leases (with
 * their nonces), the app's lock and the stored heartbeat are renewed; every second the store is asked whether another
 * instance cancelled it.
 */
import type { TimerHandle } from '../../lib/clock.js';
import { messageOf, type RunState } from './run-state.js';

/** Starts the renewals and the cancel checks of `run`; the returned function stops both. */
export function keepAlive(run: RunState): () => void {
  const { fly, clock, store, lock, logger } = run.deps;
  const { record, targets } = run;
  let heartbeatTimer: TimerHandle | undefined;
  let cancelTimer: TimerHandle | undefined;
  const over = () => run.halted || run.finished;

  const noticeCancel = async (): Promise<void> => {
    if ((await store.endOf(record.id).catch(() => undefined)) === 'cancel') run.cancel();
  };

  const scheduleHeartbeat = (): void => {
    heartbeatTimer = clock.setTimeout(() => void heartbeat(), Math.max(1000, Math.floor(record.leaseTtlMs / 3)));
  };
  const heartbeat = async (): Promise<void> => {
    if (over()) return;
    await Promise.all(
      targets
        .filter((t) => !t.destroyed)
        .map((t) =>
          fly.machines.acquireLease({ ...run.ref(t), ttlSeconds: run.ttlSeconds }, { leaseNonce: t.nonce }).then(
            (lease) => void (lease.nonce && (t.nonce = lease.nonce)),
            (error: unknown) => logger?.warn({ err: messageOf(error), machine: t.info.machineId }, 'deployment lease refresh failed'),
          ),
        ),
    );
    await lock.acquire().catch((error: unknown) => logger?.warn({ err: messageOf(error) }, 'deployment lock renewal failed'));
    if (over()) return;
    await noticeCancel();
    record.heartbeatAt = clock.now();
    void run.persist();
    if (!over()) scheduleHeartbeat();
  };

  // More often than the heartbeat, so a cancel sent through another instance takes effect within a second.
  const scheduleCancelCheck = (): void => {
    cancelTimer = clock.setTimeout(() => {
      void noticeCancel().finally(() => {
        if (!over() && !run.stop.signal.aborted) scheduleCancelCheck();
      });
    }, run.deps.cancelCheckMs ?? 1000);
  };

  scheduleHeartbeat();
  scheduleCancelCheck();
  return () => {
    if (heartbeatTimer !== undefined) clock.clearTimeout(heartbeatTimer);
    if (cancelTimer !== undefined) clock.clearTimeout(cancelTimer);
  };
}
