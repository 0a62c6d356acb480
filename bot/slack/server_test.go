package slack_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dsrbot/dsrbot/bot/slack/slacktest"
	"github.com/dsrbot/dsrbot/storage"
)

func TestTransportUnverifiedRequestsChangeNothing(t *testing.T) {
	e := trNewEnv(t)
	rv := e.openReview("dy-fashion")
	bind := trSlash("bind dy-fashion", trAlice, "C9", e.fake.ResponseURL("bind"))
	mention := trMention("EvBad", trAlice, "", "<@UBOT> today dy-fashion", "1764000000.000100", "")
	claim := trAction(trBo, e.fake.ResponseURL("claim"), trClaim("dy-fashion", rv.ReviewID, "shop"))
	endpoints := []struct{ path, ctype, body string }{
		{"/slack/commands", trFormType, bind},
		{"/slack/events", trJSONType, mention},
		{"/slack/interactions", trFormType, claim},
	}
	tamper := []struct {
		name   string
		change func(req *http.Request, body string)
	}{
		{"bad signature", func(r *http.Request, _ string) { r.Header.Set("X-Slack-Signature", "v0="+strings.Repeat("0", 64)) }},
		{"wrong secret", func(r *http.Request, body string) { trResign(r, body, "not-the-secret", trNow) }},
		{"no signature", func(r *http.Request, _ string) { r.Header.Del("X-Slack-Signature") }},
		{"no timestamp", func(r *http.Request, _ string) { r.Header.Del("X-Slack-Request-Timestamp") }},
		{"replayed 6 minutes later", func(r *http.Request, body string) { trResign(r, body, trSecret, trNow.Add(-6*time.Minute)) }},
		{"signed 6 minutes ahead", func(r *http.Request, body string) { trResign(r, body, trSecret, trNow.Add(6*time.Minute)) }},
		{"signed for another body", func(r *http.Request, body string) { trResign(r, body+"&x=1", trSecret, trNow) }},
	}
	for _, ep := range endpoints {
		for _, tc := range tamper {
			req := e.request(ep.path, ep.ctype, ep.body)
			tc.change(req, ep.body)
			code, _, body := e.do(req)
			if code != http.StatusUnauthorized {
				t.Errorf("%s, %s: status %d, want 401 (%s)", ep.path, tc.name, code, body)
			}
			if strings.Contains(body, "signature") || strings.Contains(body, "timestamp") {
				t.Errorf("%s, %s: the refusal explains itself to a prober: %q", ep.path, tc.name, body)
			}
		}
	}
	e.srv.Wait()
	if p, r := e.fake.Posts(), e.fake.Responses(); len(p)+len(r) != 0 {
		t.Errorf("unverified requests made Slack calls: posts %+v, responses %+v", p, r)
	}
	if _, err := e.db.ShopForChannel(context.Background(), "C9"); storage.ErrorCode(err) != storage.ENOTFOUND {
		t.Errorf("an unverified bind bound the channel: %v", err)
	}
	if got := e.review("dy-fashion", rv.ReviewID); got.Owner != rv.Owner {
		t.Errorf("an unverified claim changed the owner to %q", got.Owner)
	}
	// The event ID was not spent: the genuine delivery is still answered.
	if code, _, _ := e.do(e.request("/slack/events", trJSONType, mention)); code != http.StatusOK {
		t.Fatalf("genuine delivery: %d", code)
	}
	e.srv.Wait()
	if n := len(e.fake.Posts()); n != 1 {
		t.Errorf("genuine delivery after refused ones: %d posts, want 1", n)
	}
}

func TestTransportBodyLimit(t *testing.T) {
	e := trNewEnv(t, func(e *trEnv) { e.srv.MaxBody = 1024 })
	big := trSlash("today dy-fashion "+strings.Repeat("x", 2048), trAlice, "C1", e.fake.ResponseURL("big"))
	code, _, _ := e.do(e.request("/slack/commands", trFormType, big))
	if code != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized body: %d, want 413", code)
	}
	// A body just under the limit is served.
	if r := e.slash("today dy-fashion", trAlice, "C1", e.fake.ResponseURL("small")); !strings.Contains(r.Text, trCardHead) {
		t.Errorf("small body: %+v", r)
	}
	e.srv.Wait()
	if n := len(e.fake.Responses()); n != 0 {
		t.Errorf("%d response_url posts", n)
	}
}

func TestTransportSlashToday(t *testing.T) {
	e := trNewEnv(t)
	r := e.slash("today dy-fashion", trAlice, "C1", e.fake.ResponseURL("today"))
	if r.ResponseType != "ephemeral" {
		t.Errorf("response_type = %q, want ephemeral outside the shop's channel", r.ResponseType)
	}
	if !strings.Contains(r.Text, trCardHead) {
		t.Errorf("text lacks the card title %q:\n%s", trCardHead, r.Text)
	}
	if len(r.Blocks) < 3 || len(r.Blocks) > 50 || !strings.Contains(string(r.Blocks[0]), `"header"`) || !strings.Contains(string(r.Blocks[0]), "dy-fashion") {
		t.Errorf("blocks: %d, first %s", len(r.Blocks), r.Blocks[0])
	}
	e.srv.Wait()
	if n := len(e.fake.Responses()); n != 0 {
		t.Errorf("answered in the HTTP response, yet %d response_url posts", n)
	}
}

func TestTransportSlashInBoundChannelIsInChannel(t *testing.T) {
	e := trNewEnv(t)
	bound := e.slash("bind dy-fashion", trAlice, "C1", e.fake.ResponseURL("bind"))
	if bound.ResponseType != "ephemeral" || !strings.Contains(bound.Text, "dy-fashion") {
		t.Errorf("bind: %+v", bound)
	}
	if s, err := e.db.ShopForChannel(context.Background(), "C1"); err != nil || s.ID != "dy-fashion" {
		t.Fatalf("C1 bound to %+v, %v", s, err)
	}
	r := e.slash("today", trChen, "C1", e.fake.ResponseURL("today"))
	if r.ResponseType != "in_channel" || !strings.Contains(r.Text, trCardHead) {
		t.Errorf("today in the bound channel: %s %q", r.ResponseType, r.Text)
	}
	// The same question in another channel stays personal.
	if r := e.slash("today", trChen, "C2", e.fake.ResponseURL("other")); r.ResponseType != "ephemeral" {
		t.Errorf("today in an unbound channel: %s", r.ResponseType)
	}
	// Naming the shop in its own channel is a personal look.
	if r := e.slash("reviews", trChen, "C1", e.fake.ResponseURL("rv")); r.ResponseType != "ephemeral" {
		t.Errorf("reviews in the bound channel: %s", r.ResponseType)
	}
}

func TestTransportSlashUnknownCommandHelps(t *testing.T) {
	e := trNewEnv(t)
	for _, text := range []string{"frobnicate", "today no-such-shop", "done R1 maybe"} {
		r := e.slash(text, trAlice, "C1", e.fake.ResponseURL("bad"))
		if r.ResponseType != "ephemeral" || r.Text == "" {
			t.Errorf("%q: %+v", text, r)
		}
		if strings.Contains(r.Text, "Something went wrong") {
			t.Errorf("%q answered as an internal error: %q", text, r.Text)
		}
	}
	if r := e.slash("frobnicate", trAlice, "C1", ""); !strings.Contains(r.Text, "/dsr help") || !strings.Contains(r.Text, "frobnicate") {
		t.Errorf("unknown command: %q", r.Text)
	}
	// A typo of a command is not guessed at: the same sentence.
	if r := e.slash("todya", trAlice, "C1", ""); !strings.Contains(r.Text, `I don't know "todya". Try /dsr help.`) {
		t.Errorf("a typo of today: %q", r.Text)
	}
	if r := e.slash("today no-such-shop", trAlice, "C1", ""); !strings.Contains(r.Text, "dy-fashion") {
		t.Errorf("unknown shop does not list the shops: %q", r.Text)
	}
	if l := e.log.String(); strings.Contains(l, "level=ERROR") {
		t.Errorf("a user's mistake was logged as an error:\n%s", l)
	}
}

func TestTransportNotASlashCommand(t *testing.T) {
	e := trNewEnv(t)
	for _, body := range []string{"", "text=today", "%zz"} {
		if code, _, _ := e.do(e.request("/slack/commands", trFormType, body)); code != http.StatusBadRequest {
			t.Errorf("%q: %d, want 400", body, code)
		}
	}
	// Signed a second later: the signature of an empty body at the same
	// second was spent on the command URL above (it is the same signature
	// on any URL).
	for _, body := range []string{"", "payload=", "payload=%7Bnot+json"} {
		if code, _, _ := e.do(e.requestAt("/slack/interactions", trFormType, body, trNow.Add(time.Second))); code != http.StatusBadRequest {
			t.Errorf("interaction %q: %d, want 400", body, code)
		}
	}
	if code, _, _ := e.do(e.request("/slack/events", trJSONType, "{not json")); code != http.StatusBadRequest {
		t.Errorf("bad event JSON: %d, want 400", code)
	}
	get, _ := http.NewRequest(http.MethodGet, e.http.URL+"/slack/commands", nil)
	if code, _, _ := e.do(get); code != http.StatusMethodNotAllowed {
		t.Errorf("GET /slack/commands: %d, want 405", code)
	}
}

func TestTransportURLVerification(t *testing.T) {
	e := trNewEnv(t)
	body := `{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}`
	code, _, got := e.do(e.request("/slack/events", trJSONType, body))
	// The body is the challenge, byte for byte: nothing around it.
	if code != http.StatusOK || got != "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" {
		t.Errorf("challenge: %d %q", code, got)
	}
	// The URL check is signed too: an unsigned one is refused.
	req := e.request("/slack/events", trJSONType, body)
	req.Header.Del("X-Slack-Signature")
	if code, _, _ := e.do(req); code != http.StatusUnauthorized {
		t.Errorf("unsigned challenge: %d", code)
	}
}

func TestTransportMentionPostsOnceInThread(t *testing.T) {
	e := trNewEnv(t)
	code, _, _ := e.do(e.request("/slack/events", trJSONType, trMention("Ev01", trAlice, "", "<@UBOT> today dy-fashion", "1764000000.000100", "")))
	if code != http.StatusOK {
		t.Fatalf("event: %d", code)
	}
	e.fake.WaitPosts(1, trWait)
	e.srv.Wait()
	posts := e.fake.Posts()
	if len(posts) != 1 {
		t.Fatalf("%d posts, want 1", len(posts))
	}
	p := posts[0]
	if p.Channel != "C1" || p.ThreadTS != "1764000000.000100" || !strings.Contains(p.Text, trCardHead) || p.Blocks == nil {
		t.Errorf("post = %+v", p)
	}
	if p.Metadata == nil || p.Metadata.EventType == "" || p.Metadata.EventPayload["key"] == "" {
		t.Errorf("post carries no metadata to find it by on a retry: %+v", p.Metadata)
	}

	// A mention inside a thread is answered in that thread.
	e.do(e.request("/slack/events", trJSONType, trMention("Ev02", trAlice, "", "<@UBOT> late dy-fashion", "1764000050.000100", "1764000000.000100")))
	e.srv.Wait()
	if posts = e.fake.Posts(); len(posts) != 2 || posts[1].ThreadTS != "1764000000.000100" {
		t.Errorf("reply in thread: %+v", posts)
	}
}

func TestTransportRetriedEventIsActedOnOnce(t *testing.T) {
	e := trNewEnv(t)
	rv := e.openReview("dy-fashion")
	body := trMention("Ev0RETRY", trAlice, "", "<@UBOT> assign "+rv.ReviewID+" to <@U0ALICE>", "1764000000.000100", "")
	if code, _, _ := e.do(e.request("/slack/events", trJSONType, body)); code != http.StatusOK {
		t.Fatalf("first delivery: %d", code)
	}
	// Slack signs each retry when it sends it: 3 s later for a timeout,
	// a minute later for an error.
	for i, reason := range []string{"http_timeout", "http_error"} {
		req := e.requestAt("/slack/events", trJSONType, body, trNow.Add([]time.Duration{3 * time.Second, time.Minute}[i]))
		req.Header.Set("X-Slack-Retry-Num", strconv.Itoa(i+1))
		req.Header.Set("X-Slack-Retry-Reason", reason)
		if code, _, _ := e.do(req); code != http.StatusOK {
			t.Errorf("retry %d: %d, want 200 so Slack stops retrying", i+1, code)
		}
	}
	e.srv.Wait()
	if n := len(e.fake.Posts()); n != 1 {
		t.Errorf("%d posts for one event delivered three times, want 1", n)
	}
	hist, err := e.db.ReviewHistory(context.Background(), rv.ID)
	if err != nil {
		t.Fatal(err)
	}
	assigned := 0
	for _, h := range hist {
		if h.Action == "assigned" {
			assigned++
		}
	}
	if assigned != 1 {
		t.Errorf("the assignment was made %d times: %+v", assigned, hist)
	}
	if got := e.review("dy-fashion", rv.ReviewID); got.Owner != "U0ALICE" {
		t.Errorf("owner = %q", got.Owner)
	}
}

func TestTransportBotMessagesAreIgnored(t *testing.T) {
	e := trNewEnv(t)
	for _, body := range []string{
		trMention("EvB1", trChen, "B0OTHER", "<@UBOT> today dy-fashion", "1764000000.000100", ""),
		trMention("EvB2", "UBOT", "", "<@UBOT> today dy-fashion", "1764000000.000200", ""),
		trMention("EvB3", "UBOT", "BBOT", "<@UBOT> today dy-fashion", "1764000000.000300", ""),
	} {
		if code, _, _ := e.do(e.request("/slack/events", trJSONType, body)); code != http.StatusOK {
			t.Errorf("bot event: %d, want 200", code)
		}
	}
	e.srv.Wait()
	if p := e.fake.Posts(); len(p) != 0 {
		t.Errorf("answered a bot: %+v", p)
	}
}

// A Claim press redraws the open list it was on, the review now showing its
// owner on the line a person reads (ID, rating, product, problem, owner).
func TestTransportClaimButton(t *testing.T) {
	e := trNewEnv(t)
	// A review of known text, so its line can be asserted whole: 尺码偏小
	// ("runs small") is a size problem.
	rv := e.importReview("dy-fashion", "R900001", "连衣裙 L 黑色", "尺码偏小")
	code, _, _ := e.do(e.request("/slack/interactions", trFormType, trAction(trBo, e.fake.ResponseURL("claim"), trClaim("dy-fashion", rv.ReviewID, "shop"))))
	if code != http.StatusOK {
		t.Fatalf("interaction: %d", code)
	}
	e.srv.Wait()
	if got := e.review("dy-fashion", rv.ReviewID); got.Owner != trBo || got.Status != storage.StatusOpen {
		t.Errorf("after Claim: owner %q status %q, want %s open", got.Owner, got.Status, trBo)
	}
	resp := e.fake.Responses()
	if len(resp) != 1 {
		t.Fatalf("%d response_url posts, want 1: %+v", len(resp), resp)
	}
	r := resp[0]
	if r.Name != "claim" || !r.ReplaceOriginal {
		t.Errorf("response: %+v, want the list redrawn in place", r)
	}
	if text := trStrings(r.Blocks); !strings.Contains(text, rv.ReviewID) || !strings.Contains(text, "<@"+trBo+">") {
		t.Errorf("redrawn list lacks %s owned by %s:\n%s", rv.ReviewID, trBo, r.Blocks)
	}
	if line := rv.ReviewID + " · 1★ · 连衣裙 L 黑色 · size · <@" + trBo + ">"; !strings.Contains(r.Text, line) {
		t.Errorf("redrawn list's text lacks the line %q:\n%s", line, r.Text)
	}
	if len(e.fake.Posts()) != 0 {
		t.Errorf("a button press posted to the channel")
	}
}

func TestTransportResolveSelect(t *testing.T) {
	e := trNewEnv(t)
	rv := e.openReview("dy-fashion")
	code, _, _ := e.do(e.request("/slack/interactions", trFormType, trAction(trBo, e.fake.ResponseURL("resolve"), trResolve("dy-fashion", rv.ReviewID, "refund"))))
	if code != http.StatusOK {
		t.Fatalf("interaction: %d", code)
	}
	e.srv.Wait()
	got := e.review("dy-fashion", rv.ReviewID)
	if got.Status != storage.StatusDone || got.Outcome != "refund" {
		t.Errorf("after Resolve refund: status %q outcome %q", got.Status, got.Outcome)
	}
	resp := e.fake.Responses()
	if len(resp) != 1 || !resp[0].ReplaceOriginal {
		t.Fatalf("responses: %+v", resp)
	}
	if strings.Contains(string(resp[0].Blocks), "review|dy-fashion|"+rv.ReviewID+"|") {
		t.Errorf("the closed review still has buttons in the open list:\n%s", resp[0].Blocks)
	}
	if strings.Contains(resp[0].Text, rv.ReviewID) {
		t.Errorf("the closed review is still in the open list's text:\n%s", resp[0].Text)
	}

	// Pressing again (a second person, a stale message) changes nothing and
	// says so beside the message instead of redrawing it.
	e.do(e.request("/slack/interactions", trFormType, trAction(trMei, e.fake.ResponseURL("again"), trResolve("dy-fashion", rv.ReviewID, "resend"))))
	e.srv.Wait()
	if got := e.review("dy-fashion", rv.ReviewID); got.Outcome != "refund" {
		t.Errorf("second resolve changed the outcome to %q", got.Outcome)
	}
	resp = e.fake.Responses()
	if len(resp) != 2 || resp[1].ReplaceOriginal || !strings.Contains(resp[1].Text, "already closed") {
		t.Errorf("second resolve: %+v", resp)
	}

	// An option that is not an outcome is not acted on.
	e.do(e.request("/slack/interactions", trFormType, trAction(trMei, e.fake.ResponseURL("bogus"), trResolve("dy-fashion", rv.ReviewID, "burn_it"))))
	e.srv.Wait()
	if n := len(e.fake.Responses()); n != 2 {
		t.Errorf("a bogus outcome was answered: %d responses", n)
	}
}

func TestTransportSlowSlashIsAcknowledgedThenAnswered(t *testing.T) {
	e, slow := trSlowEnv(t, 20*time.Millisecond)
	r := e.slash("today dy-fashion", trAlice, "C1", e.fake.ResponseURL("slow"))
	<-slow.entered
	if !strings.Contains(r.Text, "Working on it") || r.ResponseType != "ephemeral" {
		t.Errorf("answer in time = %+v, want the acknowledgement", r)
	}
	if strings.Contains(r.Text, trCardHead) {
		t.Errorf("the card came back before the work was done")
	}
	if n := len(e.fake.Responses()); n != 0 {
		t.Errorf("%d response_url posts before the work finished", n)
	}
	slow.release()
	e.srv.Wait()
	resp := e.fake.Responses()
	if len(resp) != 1 {
		t.Fatalf("%d response_url posts, want 1", len(resp))
	}
	if got := resp[0]; got.Name != "slow" || got.Path != "/respond/slow" || !strings.Contains(got.Text, trCardHead) || got.ReplaceOriginal || got.ResponseType != "ephemeral" || len(got.Blocks) == 0 {
		t.Errorf("follow-up = %+v", got)
	}
}

// A slow answer that Slack rate-limits still arrives, after Retry-After.
func TestTransportSlowSlashFollowUpIsRetried(t *testing.T) {
	e, slow := trSlowEnv(t, 20*time.Millisecond)
	e.fake.FailNextResponse(http.StatusTooManyRequests, 2)
	e.slash("today dy-fashion", trAlice, "C1", e.fake.ResponseURL("slow"))
	<-slow.entered
	slow.release()
	e.srv.Wait()
	if resp := e.fake.Responses(); len(resp) != 1 || !strings.Contains(resp[0].Text, trCardHead) {
		t.Errorf("responses = %+v", resp)
	}
	if w := e.sleeps.all(); len(w) != 1 || w[0] != 2*time.Second {
		t.Errorf("waits = %v, want [2s]", w)
	}
}

func TestTransportSlowSlashInBoundChannelFollowsUpInChannel(t *testing.T) {
	e, slow := trSlowEnv(t, 20*time.Millisecond)
	e.slash("bind dy-fashion", trAlice, "C1", e.fake.ResponseURL("bind"))
	r := e.slash("today", trChen, "C1", e.fake.ResponseURL("slow"))
	<-slow.entered
	if r.ResponseType != "ephemeral" || !strings.Contains(r.Text, "Working on it") {
		t.Errorf("acknowledgement = %+v, want it shown only to the asker", r)
	}
	slow.release()
	e.srv.Wait()
	resp := e.fake.Responses()
	if len(resp) != 1 || resp[0].ResponseType != "in_channel" || !strings.Contains(resp[0].Text, trCardHead) {
		t.Errorf("follow-up = %+v, want the card in the channel", resp)
	}
}

func TestTransportSlashChineseKeywords(t *testing.T) {
	e := trNewEnv(t)
	r := e.slash("今天 dy-fashion", trAlice, "C1", e.fake.ResponseURL("zh"))
	if !strings.Contains(r.Text, trCardHead) {
		t.Errorf("今天 dy-fashion: %q", r.Text)
	}
	r = e.slash("帮助", trAlice, "C1", e.fake.ResponseURL("zh"))
	if !strings.Contains(r.Text, "/dsr today") {
		t.Errorf("帮助: %q", r.Text)
	}
}

func TestTransportBodyExactlyAtLimit(t *testing.T) {
	const limit = 2048
	e := trNewEnv(t, func(e *trEnv) { e.srv.MaxBody = limit })
	body := trSlash("today dy-fashion", trAlice, "C1", e.fake.ResponseURL("x"))
	body += "&pad=" + strings.Repeat("p", limit-len(body)-len("&pad="))
	if len(body) != limit {
		t.Fatalf("body is %d bytes", len(body))
	}
	if code, _, got := e.do(e.request("/slack/commands", trFormType, body)); code != http.StatusOK || !strings.Contains(got, "dy-fashion") {
		t.Errorf("body of exactly MaxBody: %d", code)
	}
	if code, _, _ := e.do(e.request("/slack/commands", trFormType, body+"p")); code != http.StatusRequestEntityTooLarge {
		t.Errorf("one byte over: %d, want 413", code)
	}
}

// Slack rate-limits the answer to a mention: it is posted once, after
// waiting what Retry-After said.
func TestTransportMentionRateLimitedThenPosted(t *testing.T) {
	e := trNewEnv(t)
	e.fake.FailNext(http.StatusTooManyRequests, 1)
	e.fake.FailNext(http.StatusTooManyRequests, 1)
	ts := e.fake.Say("C1", "", trAlice, "<@UBOT> today dy-fashion")
	if code, _, _ := e.do(e.request("/slack/events", trJSONType, trMention("EvRL", trAlice, "", "<@UBOT> today dy-fashion", ts, ""))); code != http.StatusOK {
		t.Fatalf("event: %d", code)
	}
	e.fake.WaitPosts(1, trWait)
	e.srv.Wait()
	if posts := e.fake.Posts(); len(posts) != 1 || posts[0].ThreadTS != ts {
		t.Errorf("posts = %+v, want one in the thread", posts)
	}
	if w := e.sleeps.all(); len(w) != 2 || w[0] != time.Second || w[1] != time.Second {
		t.Errorf("waits = %v, want [1s 1s]", w)
	}
}

// Slack stored the answer but the bot saw a 500: the retry finds the
// answer in the thread and does not post it again.
func TestTransportMentionAmbiguousFailureIsNotPostedTwice(t *testing.T) {
	e := trNewEnv(t)
	ts := e.fake.Say("C1", "", trAlice, "<@UBOT> today dy-fashion")
	e.fake.FailAfterStore(http.StatusInternalServerError)
	if code, _, _ := e.do(e.request("/slack/events", trJSONType, trMention("EvAMB", trAlice, "", "<@UBOT> today dy-fashion", ts, ""))); code != http.StatusOK {
		t.Fatalf("event: %d", code)
	}
	e.fake.WaitPosts(1, trWait)
	e.srv.Wait()
	if posts := e.fake.Posts(); len(posts) != 1 || posts[0].ThreadTS != ts {
		t.Errorf("posts = %+v, want exactly one answer in the thread", posts)
	}
	if n := e.fake.Calls("chat.postMessage"); n != 1 {
		t.Errorf("chat.postMessage called %d times, want 1", n)
	}
	if n := e.fake.Calls("conversations.replies"); n != 1 {
		t.Errorf("conversations.replies called %d times, want 1 (the check before resending)", n)
	}
}

// A shop bound from one workspace cannot be changed by a person of
// another (a shared channel, a second install).
func TestTransportOtherWorkspaceCannotChangeShop(t *testing.T) {
	e := trNewEnv(t)
	rv := e.openReview("dy-fashion")
	e.slash("bind dy-fashion", trAlice, "C1", e.fake.ResponseURL("bind")) // binds from T1
	e.do(e.request("/slack/interactions", trFormType, trActionFrom("T2", trBo, e.fake.ResponseURL("foreign"), trClaim("dy-fashion", rv.ReviewID, "shop"))))
	e.srv.Wait()
	if got := e.review("dy-fashion", rv.ReviewID); got.Owner == trBo {
		t.Errorf("a person of another workspace claimed the review")
	}
	resp := e.fake.Responses()
	if len(resp) != 1 || resp[0].ReplaceOriginal || !strings.Contains(resp[0].Text, "another Slack workspace") {
		t.Errorf("responses = %+v, want a one-line refusal", resp)
	}
}

// Slack counts every non-2xx answer to an event as a failed delivery,
// retries it, and disables the subscription of an app that keeps failing.
// A verified event the bot does not act on (a type it does not know) is
// acknowledged and ignored.
func TestTransportUnknownEventIsAcknowledged(t *testing.T) {
	e := trNewEnv(t)
	for _, inner := range []string{
		// An event type slack-go does not know (Slack adds new ones; an
		// admin may subscribe more than the manifest's app_mention).
		`{"type":"app_future_event","user":"U01ALICE1","channel":"C1","event_ts":"1764000000.000100"}`,
	} {
		body := `{"token":"x","team_id":"T1","api_app_id":"A0DSRBOT","type":"event_callback","event_id":"EvUNK","event_time":1764000000,"event":` + inner + `}`
		if code, _, got := e.do(e.request("/slack/events", trJSONType, body)); code != http.StatusOK {
			t.Errorf("%s: %d %q, want 200 so Slack does not retry", inner, code, got)
		}
	}
	e.srv.Wait()
	if p := e.fake.Posts(); len(p) != 0 {
		t.Errorf("posts = %+v", p)
	}
}

// Slack may deliver an event again while the first delivery is still being
// handled: the copies race, and exactly one is acted on.
func TestTransportConcurrentDuplicateEvents(t *testing.T) {
	e := trNewEnv(t)
	body := trMention("EvRACE", trAlice, "", "<@UBOT> today dy-fashion", "1764000000.000100", "")
	var wg sync.WaitGroup
	codes := make([]int, 6)
	for i := range codes {
		// Each delivery is signed when Slack sends it.
		req := e.requestAt("/slack/events", trJSONType, body, trNow.Add(time.Duration(i)*time.Second))
		if i > 0 {
			req.Header.Set("X-Slack-Retry-Num", strconv.Itoa(i))
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := e.http.Client().Do(req)
			if err != nil {
				return
			}
			codes[i] = resp.StatusCode
			resp.Body.Close()
		}()
	}
	wg.Wait()
	e.srv.Wait()
	for i, c := range codes {
		if c != http.StatusOK {
			t.Errorf("delivery %d: %d", i, c)
		}
	}
	if n := len(e.fake.Posts()); n != 1 {
		t.Errorf("%d posts for one event delivered 6 times at once, want 1", n)
	}
}

// People put the bot's name where it falls in the sentence, and Slack
// sends the text as typed: the command is read past the mention, and the
// answer goes in the thread of the message that named the bot.
func TestTransportMentionNotFirst(t *testing.T) {
	e := trNewEnv(t)
	e.slash("bind dy-fashion", trAlice, "C1", e.fake.ResponseURL("bind"))
	tests := []struct {
		eventID, text, ts string
	}{
		{"EvHey", "hey <@UBOT> today", "1764000000.000100"},
		{"EvLook", "<@" + trChen + "> look <@UBOT> today", "1764000000.000200"},
		{"EvLast", "today <@UBOT|dsrbot>", "1764000000.000300"},
	}
	for _, tt := range tests {
		if code, _, _ := e.do(e.request("/slack/events", trJSONType, trMention(tt.eventID, trAlice, "", tt.text, tt.ts, ""))); code != http.StatusOK {
			t.Fatalf("%q: %d", tt.text, code)
		}
	}
	e.fake.WaitPosts(len(tests), trWait)
	e.srv.Wait()
	posts := e.fake.Posts()
	if len(posts) != len(tests) {
		t.Fatalf("%d posts, want %d: %+v", len(posts), len(tests), posts)
	}
	byThread := map[string]slacktest.Post{}
	for _, p := range posts {
		byThread[p.ThreadTS] = p
	}
	for _, tt := range tests {
		p, ok := byThread[tt.ts]
		if !ok {
			t.Errorf("%q: no answer in its thread %s", tt.text, tt.ts)
			continue
		}
		if p.Channel != "C1" || !strings.Contains(p.Text, trCardHead) {
			t.Errorf("%q: post = %+v, want the score card", tt.text, p)
		}
	}
}

// Slack checks the certificate of a slash command's URL with a post of
// "ssl_check=1&token=...", which may be unsigned. It gets a 200 with an
// empty body and changes nothing; every other unsigned request is still
// refused.
func TestTransportSSLCheck(t *testing.T) {
	e := trNewEnv(t)
	check := trForm("ssl_check", "1", "token", "gIkuvaNzQIHg97ATvDxqgjtO")
	// Whatever else an unsigned "check" carries is not acted on.
	sneaky := trForm("ssl_check", "1", "command", "/dsr", "text", "bind dy-fashion", "channel_id", "C9", "user_id", trAlice,
		"response_url", e.fake.ResponseURL("sneaky"))
	unsign := func(r *http.Request) {
		r.Header.Del("X-Slack-Signature")
		r.Header.Del("X-Slack-Request-Timestamp")
	}
	tests := []struct {
		name, path, body string
		unsigned         bool
		want             int
	}{
		{"unsigned check", "/slack/commands", check, true, http.StatusOK},
		{"signed check", "/slack/commands", check, false, http.StatusOK},
		{"unsigned check carrying a command", "/slack/commands", sneaky, true, http.StatusOK},
		{"unsigned command", "/slack/commands", trSlash("bind dy-fashion", trAlice, "C9", e.fake.ResponseURL("cmd")), true, http.StatusUnauthorized},
		{"unsigned ssl_check=0", "/slack/commands", trForm("ssl_check", "0", "token", "x"), true, http.StatusUnauthorized},
		// Slack checks only command URLs.
		{"unsigned check to interactions", "/slack/interactions", check, true, http.StatusUnauthorized},
		{"unsigned check to events", "/slack/events", check, true, http.StatusUnauthorized},
	}
	for _, tt := range tests {
		req := e.request(tt.path, trFormType, tt.body)
		if tt.unsigned {
			unsign(req)
		}
		code, _, body := e.do(req)
		if code != tt.want {
			t.Errorf("%s: %d, want %d (%q)", tt.name, code, tt.want, body)
		}
		if tt.want == http.StatusOK && body != "" {
			t.Errorf("%s: body %q, want empty", tt.name, body)
		}
	}
	e.srv.Wait()
	for _, m := range []string{"chat.postMessage", "response_url"} {
		if n := e.fake.Calls(m); n != 0 {
			t.Errorf("%d %s calls, want none", n, m)
		}
	}
	if _, err := e.db.ShopForChannel(context.Background(), "C9"); storage.ErrorCode(err) != storage.ENOTFOUND {
		t.Errorf("a certificate check bound the channel: %v", err)
	}
	// The checks are routine: only the genuinely unsigned requests warn.
	if n := strings.Count(e.log.String(), "level=WARN"); n != 4 {
		t.Errorf("%d warnings, want 4 (the refused requests):\n%s", n, e.log.String())
	}
	if l := e.log.String(); strings.Contains(l, "level=ERROR") {
		t.Errorf("a certificate check logged an error:\n%s", l)
	}

	// The body limit holds for a check too.
	e.srv.MaxBody = 64
	req := e.request("/slack/commands", trFormType, check+"&pad="+strings.Repeat("x", 128))
	unsign(req)
	if code, _, _ := e.do(req); code != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized check: %d, want 413", code)
	}
}
