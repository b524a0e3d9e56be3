import { Cron } from 'croner';
import type { App } from './app.ts';
import type { Db } from '../db/client.ts';
import { runDailyJobs, type DailyRunResult, type ReminderDeps } from '../cases/daily-jobs.ts';
import { errorCode } from '../lib/errors.ts';
import { runOncePerPeriod, type PeriodRun } from '../db/leases.ts';

const HOUR_MS = 60 * 60 * 1000;
/**
 * After the day's hour, every process checks this often whether today's run is done. Several bot processes on one
 * PostgreSQL database all wake at the hour and only one runs the job (runOncePerPeriod); if that one dies mid-run,
 * its lease expires and a later check in another process runs it, within this interval of the lease's TTL.
 */
export const CATCH_UP_INTERVAL_MS = 15 * 60_000;
/** The name of the daily job's once-per-day lease rows ('daily-job:<city date>'). */
export const DAILY_JOB_LEASE = 'daily-job';

export interface SchedulerOptions {
  deps: ReminderDeps;
  /** Local hour (0-23, city time zone) of the daily job (DAILY_SUMMARY_HOUR). */
  hour: number;
  /** Where the once-per-day lease lives (app.db); runs are not coordinated between processes without it. */
  db?: Db;
  /** Injectable clock: tests drive the job with a fake "now"; croner only decides when to wake up. */
  clock?: () => Date;
}

/**
 * Wakes the daily job (reminders, escalation, automatic close, admins' summary) once a day at the configured
 * hour in the city's time zone. On start it catches up: a process that was down at that hour runs the job
 * at once. The scheduled runs go through a once-per-city-day lease (db/leases.ts runOncePerPeriod), so however many
 * bot processes share the database the job runs once a day; the job's dedupe keys still make an extra run (runNow,
 * or a run retried after a crash mid-way) send nothing new.
 */
export class DailyScheduler {
  private job: Cron | undefined;
  private catchUp: NodeJS.Timeout | undefined;
  private readonly scheduled = new Set<Promise<unknown>>();
  private running: Promise<DailyRunResult | undefined> | undefined;
  private readonly clock: () => Date;

  constructor(private readonly options: SchedulerOptions) {
    this.clock = options.clock ?? (() => new Date());
  }

  start(): void {
    if (this.job) return;
    const { deps, hour } = this.options;
    // protect: a slow run (a big backlog) is never overlapped by the next trigger.
    this.job = new Cron(`0 ${hour} * * *`, { timezone: deps.timezone, protect: true, name: 'daily-job' }, async () => {
      await this.track(this.runScheduled());
    });
    const tick = () => {
      if (this.isPastTodaysHour(this.clock())) void this.track(this.runScheduled());
    };
    tick();
    this.catchUp = setInterval(tick, CATCH_UP_INTERVAL_MS);
    this.catchUp.unref();
    deps.log.info({ hour, timezone: deps.timezone, next: this.job.nextRun()?.toISOString() }, 'scheduler started');
  }

  /** True when today's run time (city time) has already passed at `now`. */
  isPastTodaysHour(now: Date): boolean {
    const { calendar } = this.options.deps;
    return now.getTime() - calendar.startOfLocalDay(now).getTime() >= this.options.hour * HOUR_MS;
  }

  private track<T>(run: Promise<T>): Promise<T> {
    this.scheduled.add(run);
    void run.finally(() => this.scheduled.delete(run));
    return run;
  }

  /** When croner will next wake the job. */
  nextRun(): Date | null {
    return this.job?.nextRun() ?? null;
  }

  /**
   * Today's run (city date) unless it is done or running in any process: 'ran' here, 'done', 'busy' elsewhere, or
   * undefined when it failed (logged; the lease is given back and the next catch-up check retries it).
   */
  async runScheduled(): Promise<PeriodRun | undefined> {
    const db = this.options.db;
    if (!db) {
      await this.runNow();
      return 'ran';
    }
    const { deps } = this.options;
    const period = deps.calendar.localDate(this.clock());
    try {
      return await runOncePerPeriod(db, { name: DAILY_JOB_LEASE, period, log: deps.log, clock: this.clock }, async () => {
        const result = await this.runNow();
        if (!result) throw new Error('daily job failed');
      });
    } catch (err) {
      deps.log.warn({ code: errorCode(err), period }, 'daily job not completed; retried at the next check');
      return undefined;
    }
  }

  /** Runs the daily job now, whatever ran today (concurrent calls share one run); failures are logged. */
  runNow(): Promise<DailyRunResult | undefined> {
    this.running ??= runDailyJobs(this.options.deps, this.clock())
      .catch((err) => {
        this.options.deps.log.error({ code: errorCode(err) }, 'daily job failed');
        return undefined;
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  async stop(): Promise<void> {
    this.job?.stop();
    this.job = undefined;
    if (this.catchUp) clearInterval(this.catchUp);
    this.catchUp = undefined;
    await Promise.allSettled([...this.scheduled]);
    await this.running;
  }
}

/** The scheduler for an app, configured from DAILY_SUMMARY_HOUR and the city profile. */
export function createScheduler(app: Pick<App, 'db' | 'calendar' | 'log' | 'profile' | 'config'>, clock?: () => Date): DailyScheduler {
  return new DailyScheduler({
    deps: {
      db: app.db,
      calendar: app.calendar,
      log: app.log,
      timezone: app.profile.timezone,
      retentionDays: app.config.RETENTION_DAYS,
      dataDir: app.config.DATA_DIR,
    },
    hour: app.config.DAILY_SUMMARY_HOUR,
    db: app.db,
    clock,
  });
}
