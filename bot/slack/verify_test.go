package slack

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// Slack's own documented example of a signed request
// (api.slack.com/authentication/verifying-requests-from-slack).
const (
	trDocSecret = "8f742231b10e8888abcd99yyyzzz85a5"
	trDocTS     = "1531420618"
	trDocBody   = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
	trDocSig    = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
)

func trSlackHeader(ts, sig string) http.Header {
	h := http.Header{}
	if ts != "" {
		h.Set("X-Slack-Request-Timestamp", ts)
	}
	if sig != "" {
		h.Set("X-Slack-Signature", sig)
	}
	return h
}

func TestTransportSignMatchesSlacksExample(t *testing.T) {
	if got := sign(trDocSecret, trDocTS, []byte(trDocBody)); got != trDocSig {
		t.Errorf("sign = %s\nwant   %s", got, trDocSig)
	}
}

func TestTransportVerifySlacksExample(t *testing.T) {
	now := time.Unix(1531420618, 0)
	ok := func(secret string, h http.Header, body string, at time.Time) bool {
		_, err := verifySignature(secret, h, []byte(body), at)
		return err == nil
	}
	if !ok(trDocSecret, trSlackHeader(trDocTS, trDocSig), trDocBody, now) {
		t.Fatal("Slack's documented example does not verify")
	}

	flipped := []byte(trDocSig)
	flipped[len(flipped)-1] = '0'
	tests := []struct {
		name   string
		secret string
		h      http.Header
		body   string
		at     time.Time
		want   bool
	}{
		{"documented example", trDocSecret, trSlackHeader(trDocTS, trDocSig), trDocBody, now, true},
		// Slack's reference check refuses only |now - ts| > 5 min, and so
		// does slack-go: exactly five minutes is still inside the window.
		{"exactly 5m old", trDocSecret, trSlackHeader(trDocTS, trDocSig), trDocBody, now.Add(5 * time.Minute), true},
		{"exactly 5m ahead", trDocSecret, trSlackHeader(trDocTS, trDocSig), trDocBody, now.Add(-5 * time.Minute), true},
		{"tampered body", trDocSecret, trSlackHeader(trDocTS, trDocSig), strings.Replace(trDocBody, "text=", "text=delete", 1), now, false},
		{"body with a trailing newline", trDocSecret, trSlackHeader(trDocTS, trDocSig), trDocBody + "\n", now, false},
		{"signature off by one digit", trDocSecret, trSlackHeader(trDocTS, string(flipped)), trDocBody, now, false},
		{"signature without v0=", trDocSecret, trSlackHeader(trDocTS, strings.TrimPrefix(trDocSig, "v0=")), trDocBody, now, false},
		{"upper-case signature", trDocSecret, trSlackHeader(trDocTS, "v0="+strings.ToUpper(strings.TrimPrefix(trDocSig, "v0="))), trDocBody, now, false},
		{"wrong secret", "8f742231b10e8888abcd99yyyzzz85a6", trSlackHeader(trDocTS, trDocSig), trDocBody, now, false},
		{"empty secret", "", trSlackHeader(trDocTS, trDocSig), trDocBody, now, false},
		{"signed with the empty secret", "", trSlackHeader(trDocTS, sign("", trDocTS, []byte(trDocBody))), trDocBody, now, false},
		{"missing both headers", trDocSecret, trSlackHeader("", ""), trDocBody, now, false},
		{"missing timestamp", trDocSecret, trSlackHeader("", trDocSig), trDocBody, now, false},
		{"missing signature", trDocSecret, trSlackHeader(trDocTS, ""), trDocBody, now, false},
		{"timestamp not a number", trDocSecret, trSlackHeader("1531420618.0", trDocSig), trDocBody, now, false},
		{"other timestamp, same signature", trDocSecret, trSlackHeader("1531420619", trDocSig), trDocBody, now, false},
		{"stale: 5m1s old", trDocSecret, trSlackHeader(trDocTS, trDocSig), trDocBody, now.Add(5*time.Minute + time.Second), false},
		{"future: 5m1s ahead", trDocSecret, trSlackHeader(trDocTS, trDocSig), trDocBody, now.Add(-5*time.Minute - time.Second), false},
		{"replay a day later", trDocSecret, trSlackHeader(trDocTS, trDocSig), trDocBody, now.Add(24 * time.Hour), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ok(tt.secret, tt.h, tt.body, tt.at); got != tt.want {
				t.Errorf("verified = %v, want %v", got, tt.want)
			}
		})
	}
}

// A refusal tells the caller nothing about why: the reason is for the log.
func TestTransportRefusalSaysNothing(t *testing.T) {
	now := time.Unix(1531420618, 0)
	var errs []string
	for _, h := range []http.Header{trSlackHeader("", ""), trSlackHeader(trDocTS, "v0=00"), trSlackHeader("1", trDocSig)} {
		why, err := verifySignature(trDocSecret, h, []byte(trDocBody), now)
		if err == nil || why == "" {
			t.Fatalf("%v: verified or no reason", h)
		}
		errs = append(errs, err.Error())
	}
	for _, e := range errs[1:] {
		if e != errs[0] {
			t.Errorf("refusals differ: %q", errs)
		}
	}
	if strings.Contains(errs[0], trDocSecret) {
		t.Errorf("refusal names the secret: %q", errs[0])
	}
}
