package bot

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// Slack's documented example of a signed slash command request.
const (
	docSecret = "8f742231b10e8888abcd99yyyzzz85a5"
	docTS     = "1531420618"
	docBody   = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
	docSig    = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
)

func TestVerifySignature(t *testing.T) {
	at := time.Unix(1531420618, 0)
	header := func(ts, sig string) http.Header {
		h := http.Header{}
		if ts != "" {
			h.Set("X-Slack-Request-Timestamp", ts)
		}
		if sig != "" {
			h.Set("X-Slack-Signature", sig)
		}
		return h
	}
	tests := []struct {
		name   string
		secret string
		h      http.Header
		body   string
		now    time.Time
		ok     bool
	}{
		{"Slack's own example", docSecret, header(docTS, docSig), docBody, at, true},
		{"exactly 5 minutes old", docSecret, header(docTS, docSig), docBody, at.Add(5 * time.Minute), true},
		{"5 minutes 1 second old", docSecret, header(docTS, docSig), docBody, at.Add(5*time.Minute + time.Second), false},
		{"5 minutes 1 second in the future", docSecret, header(docTS, docSig), docBody, at.Add(-5*time.Minute - time.Second), false},
		{"tampered body", docSecret, header(docTS, docSig), strings.Replace(docBody, "roadrunner", "coyote", 1), at, false},
		{"wrong secret", "another-secret", header(docTS, docSig), docBody, at, false},
		{"no secret configured", "", header(docTS, docSig), docBody, at, false},
		{"missing signature", docSecret, header(docTS, ""), docBody, at, false},
		{"missing timestamp", docSecret, header("", docSig), docBody, at, false},
		{"timestamp not a number", docSecret, header("soon", docSig), docBody, at, false},
		{"signature of another version", docSecret, header(docTS, strings.Replace(docSig, "v0=", "v1=", 1)), docBody, at, false},
	}
	for _, tt := range tests {
		why, err := verifySignature(tt.secret, tt.h, []byte(tt.body), tt.now)
		if (err == nil) != tt.ok {
			t.Errorf("%s: err = %v (%s), want ok = %v", tt.name, err, why, tt.ok)
		}
		if err != nil && err.Error() != "request not verified" {
			t.Errorf("%s: the error %q says more than it should", tt.name, err)
		}
	}
	if got := sign(docSecret, docTS, []byte(docBody)); got != docSig {
		t.Fatalf("sign = %s, want Slack's %s", got, docSig)
	}
}

func TestStripMention(t *testing.T) {
	for in, want := range map[string]string{
		"<@UBOT> today":                 "today",
		"<@UBOT|dsrbot>: 分配 R1 给 <@U2>": "分配 R1 给 <@U2>",
		"  <@UBOT>，我的":                  "我的",
		"today <@UBOT>":                 "today <@UBOT>",
	} {
		if got := stripMention(in); got != want {
			t.Errorf("stripMention(%q) = %q, want %q", in, got, want)
		}
	}
}
