/** One fault rule. Rules apply to requests whose route id matches (`'*'` or absent = every route). */
export interface FaultSpec {
  /** Route id such as `machines.start`, or `'*'`. */
  route?: string;
  /** Delay before answering, in ms of the emulator clock. */
  latencyMs?: number;
  /** Probability (0..1) of answering with `status` instead of running the handler; default 1 when `status` is set. */
  errorRate?: number;
  /** Status for injected errors; default 500. */
  status?: number;
  /** Never answer (until the client gives up or the emulator stops). */
  hang?: boolean;
  /** Destroy the connection without an answer. */
  reset?: boolean;
  /** Apply this rule to this many matching requests, then drop it; default unlimited. */
  times?: number;
}

/** What the server should do for one request, as decided by the active rules. */
export interface FaultDecision {
  latencyMs: number;
  hang: boolean;
  reset: boolean;
  /** Answer with this status instead of the handler. */
  errorStatus?: number;
}

/** Fault injection per route. */
export interface FaultInjector {
  /** Adds a rule; returns a function removing it. */
  add(spec: FaultSpec): () => void;
  clear(): void;
  /** Decides faults for one request to `routeId` (consumes `times`). */
  decide(routeId: string): FaultDecision;
}

/** Creates a {@link FaultInjector}; `random` is injectable so error rates are testable. */
export function createFaultInjector(random: () => number = Math.random): FaultInjector {
  const rules: Array<FaultSpec & { left: number }> = [];
  return {
    add(spec) {
      if (spec.errorRate !== undefined && (spec.errorRate < 0 || spec.errorRate > 1)) throw new RangeError('errorRate must be within 0..1');
      const rule = { ...spec, left: spec.times ?? Infinity };
      rules.push(rule);
      return () => {
        const i = rules.indexOf(rule);
        if (i >= 0) rules.splice(i, 1);
      };
    },
    clear: () => void rules.splice(0, rules.length),
    decide(routeId) {
      const decision: FaultDecision = { latencyMs: 0, hang: false, reset: false };
      for (const rule of [...rules]) {
        if (rule.route && rule.route !== '*' && rule.route !== routeId) continue;
        rule.left -= 1;
        if (rule.left <= 0) rules.splice(rules.indexOf(rule), 1);
        decision.latencyMs += rule.latencyMs ?? 0;
        decision.hang ||= rule.hang === true;
        decision.reset ||= rule.reset === true;
        const wantsError = rule.status !== undefined || rule.errorRate !== undefined;
        if (wantsError && decision.errorStatus === undefined && random() < (rule.errorRate ?? 1)) {
          decision.errorStatus = rule.status ?? 500;
        }
      }
      return decision;
    },
  };
}
