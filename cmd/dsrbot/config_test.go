package main

import (
	"strings"
	"testing"
	"time"
)

func TestConfigIngestWait(t *testing.T) {
	tests := []struct {
		value string
		want  time.Duration
		err   string
	}{
		{"", 0, ""}, // the endpoint's default
		{"45s", 45 * time.Second, ""},
		{"2m", 2 * time.Minute, ""},
		{"30", 0, `DSRBOT_INGEST_WAIT="30" is not a duration`},
		{"-1s", 0, "is not a duration"},
	}
	for _, tt := range tests {
		c, err := ConfigFromEnv(func(k string) string {
			if k == "DSRBOT_INGEST_WAIT" {
				return tt.value
			}
			return ""
		})
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%q: err %v, want %q", tt.value, err, tt.err)
			}
			continue
		}
		if err != nil || c.IngestWait != tt.want {
			t.Errorf("%q: %v, %v; want %v", tt.value, c.IngestWait, err, tt.want)
		}
	}
}
