package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/dsrbot/dsrbot/bot"
	"github.com/dsrbot/dsrbot/bot/slack"
	"github.com/dsrbot/dsrbot/ingest"
	"github.com/dsrbot/dsrbot/jobs"
	"github.com/dsrbot/dsrbot/storage"
)

// Shutdown defaults.
const (
	// DefaultShutdownGrace is how long a stopping bot finishes the
	// requests, slow answers and deliveries it has started: inside the 30 s
	// a container orchestrator waits after SIGTERM before it kills.
	DefaultShutdownGrace = 20 * time.Second
	// readyPingTimeout bounds /readyz's database ping: long enough not to
	// flap on a busy moment, short enough for a load balancer's probe.
	readyPingTimeout = time.Second
)

// serving is the state /healthz and /readyz report, shared between the
// goroutine that runs serve and the HTTP handlers.
type serving struct {
	// db is set once migrations are done and the database is open.
	db atomic.Pointer[storage.DB]
	// app is the Slack and ingest endpoints, set once they exist.
	app atomic.Pointer[http.Handler]
	// stopping is set when the bot starts to stop.
	stopping atomic.Bool
}

// serve runs the bot: the HTTP endpoints (health, readiness, metrics, and
// Slack's unless Socket Mode is configured) until ctx ends, then stops
// gracefully (stop). It listens before it opens the database, so that
// while migrations run /healthz says the process is alive and /readyz
// that it cannot take traffic yet.
func (m *Main) serve(ctx context.Context) error {
	st := &serving{}
	met := newMetrics(openStats{st}, m.Now, m.log.With("component", "metrics"))
	ln, err := net.Listen("tcp", m.config.Addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", m.config.Addr, err)
	}
	httpSrv := &http.Server{Handler: met.instrument(m.routes(st, met)), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second}
	defer httpSrv.Close() // a no-op after Shutdown; else the early returns' cleanup
	errc := make(chan error, 2)
	go func() { errc <- httpSrv.Serve(ln) }()
	m.log.Info("listening; opening the database", "addr", ln.Addr().String(), "db", storage.Redact(m.config.DB))
	if m.Listening != nil {
		m.Listening(ln.Addr().String())
	}

	db, err := m.openDB()
	if err != nil {
		return err
	}
	m.db = db
	st.db.Store(db)

	log := m.log.With("component", "slack")
	srv := &slack.Server{
		Bot:           m.bot(),
		Events:        m.db,
		Replays:       m.db, // shared by the replicas of one database
		SigningSecret: m.config.SigningSecret,
		Now:           m.Now,
		Log:           log,
		// Without a bot token nothing is posted, but response_url answers
		// need no token and still work.
		Poster: noPoster{client: slack.NewClient("", m.config.APIURL, nil, log), log: log},
	}
	var api *slackapi.Client
	var sched *jobs.Scheduler
	if m.config.BotToken != "" {
		client := slack.NewClient(m.config.BotToken, m.config.APIURL, nil, log)
		id, err := client.AuthTest(ctx)
		if err != nil {
			log.Error("Slack refused the bot token", "err", err)
			return errors.New("Slack refused SLACK_BOT_TOKEN (or could not be reached at SLACK_API_URL): check the token and the network")
		}
		srv.BotUserID, srv.Poster = id, client
		sender := m.sender(client)
		sender.Metrics = met
		sched = &jobs.Scheduler{Digests: m.digests(client), Shipments: m.shipments(), Reminders: m.reminders(), Sender: sender, Now: m.Now, Log: m.log.With("component", "jobs"), Metrics: met}
		opts := []slackapi.Option{slackapi.OptionAPIURL(m.config.APIURL)}
		if m.config.AppToken != "" {
			opts = append(opts, slackapi.OptionAppLevelToken(m.config.AppToken))
		}
		api = slackapi.New(m.config.BotToken, opts...)
	} else {
		log.Warn("SLACK_BOT_TOKEN is not set: slash commands are answered, nothing is posted")
	}
	if m.config.SigningSecret == "" && m.config.AppToken == "" {
		log.Warn("SLACK_SIGNING_SECRET is not set: every request to /slack/ is refused")
	}

	app := http.NewServeMux()
	if m.config.IngestToken != "" {
		imports := countedImports{db: m.db, metrics: met, source: "ingest"}
		app.Handle("/ingest/", (&ingest.Endpoint{Store: imports, Token: m.config.IngestToken, Wait: m.config.IngestWait, Log: m.log.With("component", "ingest")}).Handler())
	}
	socket := m.config.AppToken != "" && api != nil
	if !socket {
		app.Handle("/slack/", srv.Handler())
	}
	var h http.Handler = app
	st.app.Store(&h)
	m.log.Info("serving", "addr", ln.Addr().String(), "db", storage.Redact(m.config.DB), "socket_mode", socket)
	if m.Ready != nil {
		m.Ready(ln.Addr().String())
	}

	// The jobs run on a context of their own: on SIGTERM the deliveries
	// in flight finish (within the grace) rather than break off.
	jobCtx, stopJobs := context.WithCancel(context.WithoutCancel(ctx))
	defer stopJobs()
	if sched != nil {
		sched.Start(jobCtx)
	}
	runCtx, stopSocket := context.WithCancel(ctx)
	defer stopSocket()
	running := 1
	if socket {
		running++
		go func() { errc <- srv.RunSocketMode(runCtx, api) }()
	}
	select {
	case err = <-errc:
		running--
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
	case <-ctx.Done():
	}
	stopSocket()
	m.stop(st, httpSrv, srv, sched, stopJobs, errc, running)
	return err
}

// stop is the graceful end of serve, on SIGTERM (or Ctrl-C): no new
// requests (the listener closes, /readyz fails), the requests in flight
// and the slow answers after an acknowledgement finish, the sender
// finishes the message in hand and claims no more, the scheduler's runs
// end, all within the grace; then the claims this process still holds
// are released so another replica delivers those messages at once rather
// than when the lease ends. What outlasts the grace is cut off: the
// outbox keeps it, and the channel is checked before it is posted again.
func (m *Main) stop(st *serving, httpSrv *http.Server, srv *slack.Server, sched *jobs.Scheduler, stopJobs func(), errc <-chan error, running int) {
	st.stopping.Store(true)
	grace := m.grace
	if grace <= 0 {
		grace = DefaultShutdownGrace
	}
	m.log.Info("stopping: finishing the work in flight", "grace", grace)
	deadline, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	schedDone := make(chan struct{})
	go func() {
		defer close(schedDone)
		if sched != nil {
			sched.Sender.StopClaiming()
			sched.Stop()
		}
	}()
	if err := httpSrv.Shutdown(deadline); err != nil {
		m.log.Warn("requests still running at the end of the grace were cut off", "err", err)
		httpSrv.Close()
	}
	for ; running > 0; running-- {
		<-errc
	}
	answered := make(chan struct{})
	go func() { srv.Wait(); close(answered) }()
	select {
	case <-answered:
	case <-deadline.Done():
		m.log.Warn("slow answers still running at the end of the grace were left")
	}
	select {
	case <-schedDone:
	case <-deadline.Done():
		m.log.Warn("jobs still running at the end of the grace are cut off; the outbox keeps their messages")
		stopJobs()
		<-schedDone
	}
	if sched != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if n, err := m.db.ReleaseClaims(ctx, sched.Sender.Owner); err != nil {
			m.log.Error("cannot release the outbox claims; other replicas take them when the lease ends", "err", err)
		} else if n > 0 {
			m.log.Info("released outbox claims for the other replicas", "messages", n)
		}
	}
	m.log.Info("stopped")
}

// routes are the endpoints that answer from the start, before the
// database is open: liveness, readiness and metrics; the rest (Slack,
// ingest) answer 503 until they exist.
func (m *Main) routes(st *serving, met *metrics) http.Handler {
	mux := http.NewServeMux()
	// Liveness: the process answers. While migrations run it is alive and
	// must not be restarted for being slow, so only an open database that
	// fails makes it unhealthy.
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		db := st.db.Load()
		if db == nil {
			fmt.Fprintln(w, "ok (migrating)")
			return
		}
		if _, err := db.ListShops(r.Context()); err != nil {
			m.log.Error("health check failed", "err", err)
			http.Error(w, "database unavailable", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ok")
	})
	// Readiness: whether a load balancer should send requests here.
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		db := st.db.Load()
		switch {
		case st.stopping.Load():
			http.Error(w, "stopping", http.StatusServiceUnavailable)
			return
		case db == nil || st.app.Load() == nil:
			http.Error(w, "starting: migrations are running", http.StatusServiceUnavailable)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), readyPingTimeout)
		defer cancel()
		if err := db.Ping(ctx); err != nil {
			m.log.Warn("not ready: the database does not answer", "err", err)
			http.Error(w, "database unreachable", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ready")
	})
	mux.Handle("GET /metrics", met.Handler())
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		h := st.app.Load()
		if h == nil {
			w.Header().Set("Retry-After", "5")
			http.Error(w, "starting: migrations are running", http.StatusServiceUnavailable)
			return
		}
		(*h).ServeHTTP(w, r)
	})
	return mux
}

// openDB opens the database, running its migrations.
func (m *Main) openDB() (*storage.DB, error) {
	open := m.open
	if open == nil {
		open = storage.Open
	}
	db, err := open(m.config.DB)
	if err != nil {
		m.log.Error("cannot open the database", "path", storage.Redact(m.config.DB), "err", err)
		return nil, fmt.Errorf("cannot open the database %s", storage.Redact(m.config.DB))
	}
	db.Now = m.Now
	return db, nil
}

// openStats is the outbox as /metrics reads it: unknown (an error) until
// the database is open.
type openStats struct{ st *serving }

func (o openStats) OutboxStats(ctx context.Context) (int, time.Time, error) {
	db := o.st.db.Load()
	if db == nil {
		return 0, time.Time{}, errors.New("the database is not open yet")
	}
	return db.OutboxStats(ctx)
}

// noPoster stands in for Slack's chat.postMessage when no bot token is set:
// posts are logged as dropped; response_url answers go out as usual. It is
// a slack.Poster and nothing more: the client is a named field, not
// embedded, so that the server does not take it for a slack.Viewer and try
// views, chat.update or uploads that Slack refuses without a token
// (not_authed) while the person sees nothing; without one, the server
// answers Resolve with the outcome select instead of the form.
type noPoster struct {
	client *slack.Client
	log    *slog.Logger
}

// Respond answers through a response_url, which needs no token.
func (p noPoster) Respond(ctx context.Context, responseURL string, m bot.Message, replace bool) error {
	return p.client.Respond(ctx, responseURL, m, replace)
}

func (p noPoster) Post(_ context.Context, channel, _ string, _ bot.Message) (string, error) {
	p.log.Warn("not posting: SLACK_BOT_TOKEN is not set", "channel", channel)
	return "", errors.New("no bot token")
}
