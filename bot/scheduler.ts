import { Cron } from 'croner';
import type { App } from './app.ts';
import { runDailyJobs, type DailyRunResult, type ReminderDeps } from '../cases/daily-jobs.ts';
import { errorCode } from '../lib/errors.ts';

const HOUR_MS = 60 * 60 * 1000;

export interface SchedulerOptions {
  deps: ReminderDeps;
  /** Local hour (0-23, city time zone) of the daily job (DAILY_SUMMARY_HOUR). */
  hour: number;
  /** Injectable clock: tests drive the job with a fake "now"; croner only decides when to wake up. */
  clock?: () => Date;
}

/**
 * Wakes the daily job (reminders, escalation, automatic close, admins' summary) once a day at the configured
 * hour in the city's time zone. On start it catches up: a process that was down at that hour runs the job
 * at once; the job's dedupe keys make a second run the same day send nothing new.
 */
export class DailyScheduler {
  private job: Cron | undefined;
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
      await this.runNow();
    });
    if (this.isPastTodaysHour(this.clock())) void this.runNow();
    deps.log.info({ hour, timezone: deps.timezone, next: this.job.nextRun()?.toISOString() }, 'scheduler started');
  }

  /** True when today's run time (city time) has already passed at `now`. */
  isPastTodaysHour(now: Date): boolean {
    const { calendar } = this.options.deps;
    return now.getTime() - calendar.startOfLocalDay(now).getTime() >= this.options.hour * HOUR_MS;
  }

  /** When croner will next wake the job. */
  nextRun(): Date | null {
    return this.job?.nextRun() ?? null;
  }

  /** Runs the daily job now (concurrent calls share one run); failures are logged and retried tomorrow. */
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
    clock,
  });
}
