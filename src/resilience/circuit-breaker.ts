import {
  BrokenCircuitError,
  circuitBreaker,
  CircuitState,
  ConsecutiveBreaker,
  handleWhen,
  type IBackoff,
} from 'cockatiel';
import type { Registry } from 'prom-client';
import type { Config } from '../config/config';
import { counter, gauge } from '../observability/metric-catalogue';
import type { Logger } from '../observability/logger';

export interface BreakerSettings {
  /** Consecutive counted failures that open the circuit. */
  readonly failureThreshold: number;
  /** How long the circuit stays open before one probe call is let through (half-open). */
  readonly halfOpenAfterMs: number;
  /**
   * Optional health check asked every `everyMs` while the circuit is open: when it answers, the next call is let
   * through at once instead of after `halfOpenAfterMs`, so callers resume within seconds of a recovery.
   */
  readonly probe?: { readonly check: () => Promise<unknown>; readonly everyMs: number };
}

/** The BREAKER_* settings every breaker of the processes uses (download hosts override the threshold). */
export function breakerSettings(config: Pick<Config, 'breakerFailureThreshold' | 'breakerOpenS'>): BreakerSettings {
  return { failureThreshold: config.breakerFailureThreshold, halfOpenAfterMs: config.breakerOpenS * 1000 };
}

/** Raised instead of calling a dependency whose circuit is open. Retryable: the caller backs off and tries again. */
export class CircuitOpenError extends Error {
  /** `retryAfterMs`: when the breaker will let a probe through (0 = now). */
  constructor(
    readonly component: string,
    readonly retryAfterMs = 0,
  ) {
    super(`circuit breaker ${component} is open: calls are refused until a probe succeeds`);
    this.name = 'CircuitOpenError';
  }
}

/** Exported values of kafka_circuit_breaker_state. */
export const BREAKER_STATE = { closed: 0, open: 1, half_open: 2 } as const;
export type BreakerState = keyof typeof BREAKER_STATE;

/**
 * One circuit breaker (cockatiel's consecutive-failure breaker) around one dependency. Only failures `counts`
 * accepts count (a 404 or a schema error says nothing about the dependency's health); a success while closed
 * resets the count. Open: calls fail at once with CircuitOpenError; after `halfOpenAfterMs` the next call is a
 * probe that closes the circuit on success or reopens it on failure.
 */
export class CircuitBreaker {
  private readonly policy;
  private reported: BreakerState = 'closed';
  private probeTimer?: NodeJS.Timeout;
  private healthTimer?: NodeJS.Timeout;
  /** The health probe answered since the circuit opened: the next call may go through now. */
  private healthy = false;
  private openedAt = 0;
  /** Dropped from its registry: reports nothing more, holds no timer. */
  private disposed = false;

  constructor(
    readonly component: string,
    private readonly settings: BreakerSettings,
    counts: (err: unknown) => boolean,
    private readonly hooks: BreakerHooks,
  ) {
    // cockatiel reads the open state's backoff duration on every call: 0 once the health probe has answered.
    const healthy = () => this.healthy;
    const wait: IBackoff<unknown> = {
      get duration() {
        return healthy() ? 0 : settings.halfOpenAfterMs;
      },
      next: () => wait,
    };
    this.policy = circuitBreaker(
      handleWhen((err) => !(err instanceof CircuitOpenError) && counts(err)),
      {
        halfOpenAfter: { next: () => wait },
        breaker: new ConsecutiveBreaker(settings.failureThreshold),
      },
    );
    this.policy.onFailure(({ handled }) => {
      if (handled && !this.disposed) hooks.failure(component);
    });
    this.policy.onStateChange((s) => this.report(s));
    hooks.state(component, 'closed');
  }

  /** Runs `fn` through the breaker; throws CircuitOpenError without calling it while the circuit is open. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await this.policy.execute(fn);
    } catch (err) {
      if (err instanceof BrokenCircuitError) {
        const wait = this.healthy ? 0 : Math.max(0, this.openedAt + this.settings.halfOpenAfterMs - Date.now());
        throw new CircuitOpenError(this.component, wait);
      }
      throw err;
    }
  }

  /** Records the outcome of work the breaker does not wrap (e.g. the Kafka consumer's own requests). */
  record(error?: unknown): void {
    this.run(() => (error === undefined ? Promise.resolve() : Promise.reject(error))).catch(() => undefined);
  }

  get state(): BreakerState {
    return this.reported;
  }

  /** Stops its timers and its reporting (the registry dropped it); calls still in flight finish as they would. */
  dispose(): void {
    this.disposed = true;
    clearTimeout(this.probeTimer);
    clearInterval(this.healthTimer);
  }

  private report(s: CircuitState): void {
    if (this.disposed) return;
    const state: BreakerState =
      s === CircuitState.Closed ? 'closed' : s === CircuitState.HalfOpen ? 'half_open' : 'open';
    clearTimeout(this.probeTimer);
    clearInterval(this.healthTimer);
    this.healthy = false;
    if (state === 'open') {
      this.openedAt = Date.now();
      this.watchHealth();
      // cockatiel moves to half-open lazily, on the first call after the wait; report it when the wait is over,
      // so the gauge does not say "open" forever for a dependency that is simply not called again.
      this.probeTimer = setTimeout(() => {
        if (this.reported === 'open') this.set('half_open');
      }, this.settings.halfOpenAfterMs);
      this.probeTimer.unref();
    }
    this.set(state);
  }

  /** While open, asks the probe every `everyMs`; its first answer lets the next call through (half-open). */
  private watchHealth(): void {
    const probe = this.settings.probe;
    if (!probe) return;
    let asking = false;
    this.healthTimer = setInterval(() => {
      if (asking) return;
      asking = true;
      probe
        .check()
        .then(() => {
          if (this.reported !== 'open') return;
          this.healthy = true;
          clearInterval(this.healthTimer);
          clearTimeout(this.probeTimer);
          this.set('half_open');
        })
        .catch(() => undefined)
        .finally(() => (asking = false));
    }, probe.everyMs);
    this.healthTimer.unref();
  }

  private set(state: BreakerState): void {
    if (state === this.reported || this.disposed) return;
    this.reported = state;
    this.hooks.state(this.component, state);
  }
}

export interface BreakerHooks {
  state(component: string, state: BreakerState): void;
  failure(component: string): void;
}

/**
 * The breakers of one process, by component name, exported as kafka_circuit_breaker_state{component} and
 * kafka_circuit_breaker_failures_total{component}; state changes are logged. Fixed dependencies (`get`) live as long
 * as the process; download hosts (`forHost`), an open-ended set that input decides, are kept in a least-recently-used
 * set of at most `maxHosts`: beyond it the least recently used closed breaker is dropped with its series
 * (kafka_circuit_breaker_evictions_total), so memory and series stay bounded whatever hosts and ports events name.
 */
export class CircuitBreakers {
  private readonly breakers = new Map<string, CircuitBreaker>();
  /** Host breakers by component, least recently used first (a Map keeps insertion order). */
  private readonly hosts = new Map<string, CircuitBreaker>();
  private readonly hooks: BreakerHooks;
  private readonly drop: (component: string) => void;
  private readonly maxHosts: number;

  constructor(registry: Registry | undefined, log?: Logger, opts: { readonly maxHosts?: number } = {}) {
    const stateGauge = registry && gauge(registry, 'kafka_circuit_breaker_state');
    const failures = registry && counter(registry, 'kafka_circuit_breaker_failures_total');
    const evictions = registry && counter(registry, 'kafka_circuit_breaker_evictions_total');
    evictions?.inc(0);
    this.maxHosts = Math.max(1, opts.maxHosts ?? 256);
    this.hooks = {
      state: (component, state) => {
        stateGauge?.set({ component }, BREAKER_STATE[state]);
        if (state === 'open') log?.warn('circuit breaker opened: calls fail fast', { breaker: component });
        else log?.info(`circuit breaker ${state.replace('_', '-')}`, { breaker: component });
      },
      failure: (component) => failures?.inc({ component }),
    };
    this.drop = (component) => {
      stateGauge?.remove({ component });
      failures?.remove({ component });
      evictions?.inc();
    };
  }

  /** The breaker of `component`, created on first use with `settings`; `counts` decides which errors count. */
  get(component: string, settings: BreakerSettings, counts: (err: unknown) => boolean = () => true): CircuitBreaker {
    let b = this.breakers.get(component);
    if (!b) {
      b = new CircuitBreaker(component, settings, counts, this.hooks);
      this.breakers.set(component, b);
    }
    return b;
  }

  /** The breaker of download host `host` (`download:<host>`), kept while among the `maxHosts` most recently used. */
  forHost(host: string, settings: BreakerSettings, counts: (err: unknown) => boolean): CircuitBreaker {
    const component = `download:${host}`;
    let b = this.hosts.get(component);
    if (b) this.hosts.delete(component);
    else b = new CircuitBreaker(component, settings, counts, this.hooks);
    this.hosts.set(component, b);
    if (this.hosts.size > this.maxHosts) this.evict();
    return b;
  }

  /** Drops the least recently used closed host breaker (the least recently used one when all are open). */
  private evict(): void {
    const all = [...this.hosts.values()];
    const victim = all.find((b) => b.state === 'closed') ?? all[0];
    if (!victim) return;
    this.hosts.delete(victim.component);
    victim.dispose();
    this.drop(victim.component);
  }

  /** Components whose circuit is not closed. */
  open(): string[] {
    return [...this.breakers.values(), ...this.hosts.values()]
      .filter((b) => b.state !== 'closed')
      .map((b) => b.component);
  }
}
