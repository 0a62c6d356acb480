package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/dsrbot/dsrbot/bot"
	"github.com/dsrbot/dsrbot/bot/slack"
	"github.com/dsrbot/dsrbot/ingest"
	"github.com/dsrbot/dsrbot/jobs"
	"github.com/dsrbot/dsrbot/storage"
)

// serve runs the bot: the HTTP endpoints (health, and Slack's unless Socket
// Mode is configured) until ctx ends, then drains work in flight.
func (m *Main) serve(ctx context.Context) error {
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
		Poster: noPoster{Client: slack.NewClient("", m.config.APIURL, nil, log), log: log},
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
		sched = &jobs.Scheduler{Digests: m.digests(), Shipments: m.shipments(), Reminders: m.reminders(), Sender: m.sender(client), Now: m.Now, Log: m.log.With("component", "jobs")}
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

	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		if _, err := m.db.ListShops(r.Context()); err != nil {
			m.log.Error("health check failed", "err", err)
			http.Error(w, "database unavailable", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ok")
	})
	if m.config.IngestToken != "" {
		mux.Handle("/ingest/", (&ingest.Endpoint{Store: m.db, Token: m.config.IngestToken, Wait: m.config.IngestWait, Log: m.log.With("component", "ingest")}).Handler())
	}
	socket := m.config.AppToken != "" && api != nil
	if !socket {
		mux.Handle("/slack/", srv.Handler())
	}

	ln, err := net.Listen("tcp", m.config.Addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", m.config.Addr, err)
	}
	httpSrv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second}
	m.log.Info("serving", "addr", ln.Addr().String(), "db", storage.Redact(m.config.DB), "socket_mode", socket)
	if m.Ready != nil {
		m.Ready(ln.Addr().String())
	}
	if sched != nil {
		sched.Start(ctx)
		defer sched.Stop()
	}
	// Both servers stop when either fails or ctx ends; the work they
	// started is waited for before the database closes.
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	errc := make(chan error, 2)
	running := 1
	go func() { errc <- httpSrv.Serve(ln) }()
	if socket {
		running++
		go func() { errc <- srv.RunSocketMode(runCtx, api) }()
	}
	select {
	case err = <-errc:
		running--
	case <-ctx.Done():
	}
	stop()
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if serr := httpSrv.Shutdown(shutdown); err == nil || errors.Is(err, http.ErrServerClosed) {
		err = serr
	}
	for ; running > 0; running-- {
		<-errc
	}
	srv.Wait()
	return err
}

// noPoster stands in for Slack's chat.postMessage when no bot token is set:
// posts are logged as dropped; response_url answers go out as usual.
type noPoster struct {
	*slack.Client
	log *slog.Logger
}

func (p noPoster) Post(_ context.Context, channel, _ string, _ bot.Message) (string, error) {
	p.log.Warn("not posting: SLACK_BOT_TOKEN is not set", "channel", channel)
	return "", errors.New("no bot token")
}
