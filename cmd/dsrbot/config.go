package main

import (
	"fmt"
	"os"
	"time"

	"github.com/dsrbot/dsrbot/storage"
)

// Config is dsrbot's configuration, read from the environment (DESIGN.md's
// contract). Secrets live here and nowhere else; they are never logged.
type Config struct {
	DB   string // DSRBOT_DB
	Addr string // DSRBOT_ADDR
	TZ   string // DSRBOT_TZ: default zone of new shops
	// Lang is DSRBOT_LANG, the workspace's language (en or zh): that of
	// the answers no one shop's language decides, such as the all-shops
	// view and help outside a shop's channel.
	Lang          string
	BotToken      string // SLACK_BOT_TOKEN
	SigningSecret string // SLACK_SIGNING_SECRET
	AppToken      string // SLACK_APP_TOKEN
	APIURL        string // SLACK_API_URL
	IngestToken   string // DSRBOT_INGEST_TOKEN: enables POST /ingest/*
	// IngestWait is DSRBOT_INGEST_WAIT: how long an ingest waits for the
	// writer before it is answered 503 with Retry-After.
	IngestWait time.Duration
	// Lease is DSRBOT_LEASE: how long a replica's claim on an outbox
	// message holds; another replica takes over a message whose sender
	// died once it ends (default jobs.DefaultLease).
	Lease time.Duration
}

// ConfigFromEnv reads the configuration with the contract's defaults.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	get := func(key, def string) string {
		if v := getenv(key); v != "" {
			return v
		}
		return def
	}
	c := Config{
		DB:            get("DSRBOT_DB", "./dsrbot.db"),
		Addr:          get("DSRBOT_ADDR", ":8080"),
		TZ:            get("DSRBOT_TZ", "Asia/Shanghai"),
		Lang:          get("DSRBOT_LANG", storage.LangEnglish),
		BotToken:      getenv("SLACK_BOT_TOKEN"),
		SigningSecret: getenv("SLACK_SIGNING_SECRET"),
		AppToken:      getenv("SLACK_APP_TOKEN"),
		APIURL:        get("SLACK_API_URL", "https://slack.com/api/"),
		IngestToken:   getenv("DSRBOT_INGEST_TOKEN"),
	}
	if v := getenv("DSRBOT_INGEST_WAIT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return c, fmt.Errorf("DSRBOT_INGEST_WAIT=%q is not a duration (use a number with a unit, such as 30s or 2m)", v)
		}
		c.IngestWait = d
	}
	if v := getenv("DSRBOT_LEASE"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Second {
			return c, fmt.Errorf("DSRBOT_LEASE=%q is not a duration of a second or more (such as 2m)", v)
		}
		c.Lease = d
	}
	if _, err := time.LoadLocation(c.TZ); err != nil {
		return c, fmt.Errorf("DSRBOT_TZ=%q is not a time zone (use an IANA name such as Asia/Shanghai)", c.TZ)
	}
	// Refused at start: a typo (zh-CN, cn, chinese) would otherwise give
	// a Chinese team English answers with nothing to say why.
	if c.Lang != storage.LangEnglish && c.Lang != storage.LangChinese {
		return c, fmt.Errorf("DSRBOT_LANG=%q is not a language dsrbot speaks: use en or zh", c.Lang)
	}
	return c, nil
}

// defaultGetenv is os.Getenv, named so tests can see what Main reads.
var defaultGetenv = os.Getenv
