package jobs

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/robfig/cron/v3"
)

// Scheduler runs the jobs on robfig/cron: every minute the digest sweep,
// every hour the shipment warnings and follow-up reminders, and every 15
// seconds the outbox sender. Panics are recovered and a job
// still running is not started again.
type Scheduler struct {
	Digests   *Digests
	Shipments *Shipments
	Reminders *Reminders
	Sender    *Sender
	// Now is the clock handed to each run.
	Now func() time.Time
	Log *slog.Logger
	// Metrics times each job's runs; nil records nothing.
	Metrics Metrics

	cron *cron.Cron
	// first is the catch-up run at start, which Stop waits for too.
	first sync.WaitGroup
}

// Start starts the timers and, beside them, one run of every job, so that
// a digest or warning missed while the bot was down goes out on return.
// Stop ends them.
func (s *Scheduler) Start(ctx context.Context) {
	if unbound, err := s.Digests.Unbound(ctx); err != nil {
		s.Log.ErrorContext(ctx, "cannot list shops", "err", err)
	} else if len(unbound) > 0 {
		s.Log.WarnContext(ctx, "shops without a bound channel get no digest", "shops", unbound)
	}
	logger := cronLogger{s.Log}
	s.cron = cron.New(cron.WithChain(cron.Recover(logger), cron.SkipIfStillRunning(logger)), cron.WithLogger(logger))
	s.cron.AddFunc("* * * * *", func() { s.Tick(ctx) })
	s.cron.AddFunc("@every 15s", func() { s.drain(ctx) })
	s.cron.AddFunc("0 * * * *", func() { s.Hourly(ctx) })
	s.cron.Start()
	// Catch up in the background so the HTTP side answers Slack at once;
	// running beside a cron tick is safe (outbox keys and claims are unique).
	s.first.Add(1)
	go func() {
		defer s.first.Done()
		s.Hourly(ctx)
		s.Tick(ctx)
	}()
}

// Stop stops the timers and waits for running jobs.
func (s *Scheduler) Stop() {
	if s.cron != nil {
		<-s.cron.Stop().Done()
	}
	s.first.Wait()
}

// Tick enqueues due digests and delivers what is due.
func (s *Scheduler) Tick(ctx context.Context) {
	if err := s.timed("digest", func() error { _, err := s.Digests.Sweep(ctx, s.Now()); return err }); err != nil {
		s.Log.ErrorContext(ctx, "digest sweep failed", "err", err)
	}
	s.drain(ctx)
}

// Hourly enqueues shipment warnings and follow-up reminders, and delivers
// what is due.
func (s *Scheduler) Hourly(ctx context.Context) {
	if s.Shipments != nil {
		if err := s.timed("shipments", func() error { _, err := s.Shipments.Run(ctx, "", s.Now()); return err }); err != nil {
			s.Log.ErrorContext(ctx, "shipment warnings failed", "err", err)
		}
	}
	if s.Reminders != nil {
		if err := s.timed("reminders", func() error { _, err := s.Reminders.Run(ctx, "", s.Now()); return err }); err != nil {
			s.Log.ErrorContext(ctx, "reminders failed", "err", err)
		}
	}
	s.drain(ctx)
}

func (s *Scheduler) drain(ctx context.Context) {
	if err := s.timed("outbox", func() error { _, err := s.Sender.Drain(ctx); return err }); err != nil {
		s.Log.ErrorContext(ctx, "outbox drain failed", "err", err)
	}
}

// timed runs one job and tells Metrics how long it took. The duration is
// the wall clock's, not Now's: it measures the work, not a rule's time.
func (s *Scheduler) timed(job string, run func() error) error {
	start := time.Now()
	err := run()
	metricsOr(s.Metrics).JobRan(job, time.Since(start), err)
	return err
}

// cronLogger puts cron's own messages (recovered panics, skipped runs)
// into slog.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug("cron: "+msg, kv...) }
func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append(kv, "err", err)...)
}
