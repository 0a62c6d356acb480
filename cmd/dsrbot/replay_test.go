package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// serve remembers the signatures it accepted in the database: a request
// replayed to the bot after a restart (or to another replica) is refused
// as it would be by the same process.
func TestServeRefusesReplayAcrossRestart(t *testing.T) {
	db := filepath.Join(t.TempDir(), "dsrbot.db")
	mustRun(t, db, "shop", "add", "s1", "--name", "Shop One", "--platform", "douyin", "--team", "T1")
	slack := &fakeSlack{seen: make(chan struct{}, 100)}
	api := httptest.NewServer(slack)
	defer api.Close()
	body := "team_id=T1&channel_id=C9&user_id=U1&command=%2Fdsr&text=today+s1&response_url=" + url.QueryEscape(api.URL+"/respond")
	ts := strconv.FormatInt(now.Unix(), 10)
	mac := hmac.New(sha256.New, []byte("s3cret"))
	mac.Write([]byte("v0:" + ts + ":" + body))
	sig := "v0=" + hex.EncodeToString(mac.Sum(nil))
	send := func(base string) (int, string) {
		req, _ := http.NewRequest("POST", base+"/slack/commands", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Slack-Request-Timestamp", ts)
		req.Header.Set("X-Slack-Signature", sig)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(raw)
	}
	serveOnce(t, db, api.URL+"/api/", func(base string) {
		if code, got := send(base); code != http.StatusOK || !strings.Contains(got, "Shop One · s1") {
			t.Errorf("first delivery: %d %q", code, got)
		}
		if code, _ := send(base); code != http.StatusUnauthorized {
			t.Errorf("replay: %d, want 401", code)
		}
	})
	serveOnce(t, db, api.URL+"/api/", func(base string) {
		if code, _ := send(base); code != http.StatusUnauthorized {
			t.Errorf("replay after a restart: %d, want 401", code)
		}
	})
}
