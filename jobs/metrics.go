package jobs

import "time"

// Metrics hears what the sender and the scheduler do, for /metrics. It is
// an interface so that jobs stays free of any metrics library: cmd/dsrbot
// implements it with Prometheus. A nil Metrics hears nothing.
type Metrics interface {
	// Delivered counts a message that reached its channel, kind being
	// the outbox kind (digest, shipments, ...).
	Delivered(kind string)
	// Retried counts a failed attempt that will be tried again;
	// throttled says the service asked for the wait (HTTP 429).
	Retried(kind string, throttled bool)
	// GaveUp counts a message that will not be tried again.
	GaveUp(kind string)
	// JobRan records one run of a scheduled job and how long it took;
	// err is its error, nil when it succeeded.
	JobRan(job string, took time.Duration, err error)
}

// noMetrics is the Metrics of a sender or scheduler given none.
type noMetrics struct{}

func (noMetrics) Delivered(string)                    {}
func (noMetrics) Retried(string, bool)                {}
func (noMetrics) GaveUp(string)                       {}
func (noMetrics) JobRan(string, time.Duration, error) {}

func metricsOr(m Metrics) Metrics {
	if m == nil {
		return noMetrics{}
	}
	return m
}
