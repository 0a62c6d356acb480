package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/dsrbot/dsrbot/bot"
	"github.com/dsrbot/dsrbot/bot/slack"
	"github.com/dsrbot/dsrbot/ingest"
	"github.com/dsrbot/dsrbot/jobs"
	"github.com/dsrbot/dsrbot/storage"
)

// metrics is every Prometheus series of the bot, on a registry of its own
// (not the library's global one), so each Main, and each test, counts
// apart. It is the only place that imports Prometheus: jobs reports
// through jobs.Metrics, which this type implements, and the HTTP side and
// imports are counted here by wrapping them.
type metrics struct {
	reg *prometheus.Registry

	requests    *prometheus.CounterVec
	latency     *prometheus.HistogramVec
	deliveries  *prometheus.CounterVec
	retries     *prometheus.CounterVec
	throttled   prometheus.Counter
	failures    *prometheus.CounterVec
	jobRuns     *prometheus.CounterVec
	jobDuration *prometheus.HistogramVec
	imports     *prometheus.CounterVec
	importRows  *prometheus.CounterVec
}

var _ jobs.Metrics = (*metrics)(nil)

// outboxStats is what the outbox gauges read at every scrape.
type outboxStats interface {
	OutboxStats(ctx context.Context) (pending int, oldest time.Time, err error)
}

// newMetrics registers the series. The outbox gauges are read from db at
// scrape time (so every replica reports the shared outbox as it is, and a
// restarted one has no stale value); now is the clock their age is
// measured on.
func newMetrics(db outboxStats, now func() time.Time, log *slog.Logger) *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	f := func(c prometheus.Collector) { m.reg.MustRegister(c) }
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "dsrbot_http_requests_total",
		Help: "HTTP requests answered, by endpoint, slash command verb (empty for other endpoints) and status code.",
	}, []string{"endpoint", "command", "code"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "dsrbot_http_request_duration_seconds",
		Help: "Time to answer an HTTP request, by endpoint and slash command verb.",
		// Slack gives a slash command 3 s; an ingest of a large file
		// takes seconds.
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2, 3, 5, 10, 30},
	}, []string{"endpoint", "command"})
	m.deliveries = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "dsrbot_outbox_deliveries_total",
		Help: "Outbox messages delivered to Slack, by kind (digest, shipments, reminder, followups, cluster).",
	}, []string{"kind"})
	m.retries = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "dsrbot_outbox_retries_total",
		Help: "Failed delivery attempts that will be retried, by kind and reason (throttled: HTTP 429; error: a server or network error).",
	}, []string{"kind", "reason"})
	m.throttled = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "dsrbot_slack_throttled_total",
		Help: "Delivery attempts Slack answered with HTTP 429 (rate limited).",
	})
	m.failures = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "dsrbot_outbox_failures_total",
		Help: "Outbox messages given up on, by kind.",
	}, []string{"kind"})
	m.jobRuns = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "dsrbot_job_runs_total",
		Help: "Runs of the scheduled jobs (digest sweep, shipments, reminders, outbox drain), by job and result (ok, error).",
	}, []string{"job", "result"})
	m.jobDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "dsrbot_job_duration_seconds",
		Help:    "Duration of a scheduled job's run, by job.",
		Buckets: []float64{.01, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60},
	}, []string{"job"})
	m.imports = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "dsrbot_imports_total",
		Help: "Imports of scores, reviews or orders, by kind, source (ingest, cli) and result (ok, refused, error).",
	}, []string{"kind", "source", "result"})
	m.importRows = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "dsrbot_import_rows_total",
		Help: "Rows of the imports that succeeded, by kind, source and outcome (inserted, updated, unchanged, skipped).",
	}, []string{"kind", "source", "outcome"})
	for _, c := range []prometheus.Collector{m.requests, m.latency, m.deliveries, m.retries, m.throttled, m.failures, m.jobRuns, m.jobDuration, m.imports, m.importRows} {
		f(c)
	}
	f(&outboxCollector{db: db, now: now, log: log})
	f(collectors.NewGoCollector())
	f(collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the registry in Prometheus's text format.
func (m *metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

func (m *metrics) Delivered(kind string) { m.deliveries.WithLabelValues(kind).Inc() }

func (m *metrics) Retried(kind string, throttled bool) {
	reason := "error"
	if throttled {
		reason = "throttled"
		m.throttled.Inc()
	}
	m.retries.WithLabelValues(kind, reason).Inc()
}

func (m *metrics) GaveUp(kind string) { m.failures.WithLabelValues(kind).Inc() }

func (m *metrics) JobRan(job string, took time.Duration, err error) {
	m.jobRuns.WithLabelValues(job, result(err)).Inc()
	m.jobDuration.WithLabelValues(job).Observe(took.Seconds())
}

// imported counts one import and, when it succeeded, its rows.
func (m *metrics) imported(kind storage.Kind, source string, res *storage.ImportResult, err error) {
	r := result(err)
	if err != nil && storage.ErrorCode(err) != storage.EINTERNAL {
		r = "refused" // the file's fault (a bad row, an unknown shop), not the bot's
	}
	m.imports.WithLabelValues(string(kind), source, r).Inc()
	if err != nil || res == nil {
		return
	}
	for outcome, n := range map[string]int{"inserted": res.Inserted, "updated": res.Updated, "unchanged": res.Unchanged, "skipped": res.Skipped} {
		m.importRows.WithLabelValues(string(kind), source, outcome).Add(float64(n))
	}
}

func result(err error) string {
	if err != nil {
		return "error"
	}
	return "ok"
}

// countedImports is the ingest endpoint's store, counting each import.
type countedImports struct {
	db      ingest.Importer
	metrics *metrics
	source  string
}

func (c countedImports) ImportFile(ctx context.Context, req storage.ImportRequest) (*storage.ImportResult, error) {
	res, err := c.db.ImportFile(ctx, req)
	c.metrics.imported(req.Kind, c.source, res, err)
	return res, err
}

// instrument counts and times every request to next by endpoint, and
// slash commands by their verb. The endpoint is one of a fixed set named
// from the path (anything else is "other"), and the verb one of the
// grammar's (bot.CommandVerb), so a stranger's requests cannot make new
// series.
func (m *metrics) instrument(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		endpoint := endpointOf(r.URL.Path)
		command := ""
		if endpoint == "commands" {
			command = commandOf(r)
		}
		rec := &statusRecorder{ResponseWriter: w, code: http.StatusOK}
		next.ServeHTTP(rec, r)
		m.requests.WithLabelValues(endpoint, command, strconv.Itoa(rec.code)).Inc()
		m.latency.WithLabelValues(endpoint, command).Observe(time.Since(start).Seconds())
	})
}

// endpointOf names the endpoint of a path for the metrics' labels.
func endpointOf(path string) string {
	switch {
	case path == "/slack/commands", path == "/slack/events", path == "/slack/interactions":
		return strings.TrimPrefix(path, "/slack/")
	case strings.HasPrefix(path, "/ingest/"):
		return "ingest"
	case path == "/healthz", path == "/readyz", path == "/metrics":
		return path[1:]
	}
	return "other"
}

// commandOf reads the verb of a slash command from its form body and puts
// the body back for the Slack server, which verifies its signature over
// the same bytes. It reads at most Slack's body limit: past it the body
// is left for the server to refuse as too large.
func commandOf(r *http.Request) string {
	buf, err := io.ReadAll(io.LimitReader(r.Body, slack.DefaultMaxBody+1))
	r.Body = readCloser{io.MultiReader(bytes.NewReader(buf), r.Body), r.Body}
	if err != nil || len(buf) > slack.DefaultMaxBody {
		return "unknown"
	}
	form, err := url.ParseQuery(string(buf))
	if err != nil || form.Get("command") == "" {
		return "unknown"
	}
	return bot.CommandVerb(form.Get("text"))
}

type readCloser struct {
	io.Reader
	io.Closer
}

// statusRecorder remembers the status code a handler answered with.
type statusRecorder struct {
	http.ResponseWriter
	code  int
	wrote bool
}

func (s *statusRecorder) WriteHeader(code int) {
	if !s.wrote {
		s.code, s.wrote = code, true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(p []byte) (int, error) {
	s.wrote = true
	return s.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the connection (the ingest
// endpoint sets read deadlines through it).
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// outboxCollector reads the outbox's depth and the age of its oldest
// pending message from the database at each scrape.
type outboxCollector struct {
	db  outboxStats
	now func() time.Time
	log *slog.Logger
}

var (
	outboxPendingDesc = prometheus.NewDesc("dsrbot_outbox_pending",
		"Outbox messages waiting to be delivered (neither sent nor given up on), across all replicas.", nil, nil)
	outboxAgeDesc = prometheus.NewDesc("dsrbot_outbox_oldest_pending_age_seconds",
		"How long the oldest waiting outbox message has waited; 0 when none waits.", nil, nil)
)

func (c *outboxCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- outboxPendingDesc
	ch <- outboxAgeDesc
}

func (c *outboxCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	n, oldest, err := c.db.OutboxStats(ctx)
	if err != nil {
		// Leaving the series out says "unknown"; a 0 would say "empty".
		c.log.Warn("cannot read the outbox for /metrics", "err", err)
		return
	}
	age := 0.0
	if !oldest.IsZero() {
		age = max(c.now().Sub(oldest).Seconds(), 0)
	}
	ch <- prometheus.MustNewConstMetric(outboxPendingDesc, prometheus.GaugeValue, float64(n))
	ch <- prometheus.MustNewConstMetric(outboxAgeDesc, prometheus.GaugeValue, age)
}
