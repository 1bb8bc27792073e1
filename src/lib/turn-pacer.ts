/**
 * Spreads a burst of work over turns of the event loop: {@link TurnPacer.pace} lets `perTurn` callers go on at once
 * in each turn and queues the rest, in arrival order, for later turns. What a burst would otherwise do in one go
 * (thousands of live queries pushing after one change, a thousand subscribes arriving together) then leaves room
 * between turns for timers and I/O, `/healthz` among them.
 */
export interface TurnPacer {
  /** Undefined when the caller may go on now, else a promise for its place in a later turn. */
  pace(): Promise<void> | undefined;
}

/** Creates a {@link TurnPacer} letting `perTurn` callers through per turn of the event loop. */
export function createTurnPacer(perTurn: number): TurnPacer {
  if (!Number.isInteger(perTurn) || perTurn <= 0)
    throw new RangeError(`createTurnPacer: perTurn must be a positive integer, got ${perTurn}`);
  let goneThisTurn = 0;
  let turnScheduled = false;
  const waiting: Array<() => void> = [];
  const nextTurn = () => {
    turnScheduled = false;
    goneThisTurn = 0;
    while (goneThisTurn < perTurn && waiting.length > 0) {
      goneThisTurn += 1;
      waiting.shift()!();
    }
    scheduleTurn();
  };
  // A turn is scheduled while anyone went on in this one (to reset the count) or anyone waits.
  const scheduleTurn = () => {
    if (turnScheduled || (goneThisTurn === 0 && waiting.length === 0)) return;
    turnScheduled = true;
    setImmediate(nextTurn);
  };
  return {
    pace() {
      if (waiting.length === 0 && goneThisTurn < perTurn) {
        goneThisTurn += 1;
        scheduleTurn();
        return undefined;
      }
      const turn = new Promise<void>((resolve) => waiting.push(resolve));
      scheduleTurn();
      return turn;
    },
  };
}
