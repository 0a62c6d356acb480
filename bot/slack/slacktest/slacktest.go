// Package slacktest is a fake Slack for tests: the Web API methods dsrbot
// calls and the response URLs of slash commands and buttons, served over real
// HTTP on loopback. It is written by hand to behave like Slack, not to mirror
// the client: it speaks form-encoded requests and {"ok":...} JSON answers,
// keeps each channel's messages with their metadata so that
// conversations.history and conversations.replies find them, refuses what
// Slack refuses (no token, no text, blocks past Block Kit's limits), and
// answers 429 with Retry-After and 5xx with an HTML body, as Slack's edge
// does. Faults are planned call by call, so a test says exactly which try
// fails and how. It also speaks Socket Mode: apps.connections.open and a
// WebSocket that sends envelopes and records acknowledgements.
package slacktest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/gorilla/websocket"
)

// Identity of the fake workspace and of the bot whose token calls it.
const (
	TeamID    = "T1"
	BotUserID = "UBOT"
	BotID     = "BBOT"
)

// Metadata is a message's metadata as Slack stores and returns it.
type Metadata struct {
	EventType    string         `json:"event_type"`
	EventPayload map[string]any `json:"event_payload"`
}

// Post is a message Slack stored from chat.postMessage.
type Post struct {
	Channel  string
	ThreadTS string // the thread it was posted in; empty for a top-level message
	TS       string // the ts Slack assigned
	Text     string
	Blocks   json.RawMessage // the blocks as posted; nil when none
	Metadata *Metadata       // nil when none was posted
}

// Update is a chat.update that Slack accepted.
type Update struct {
	Channel string
	TS      string
	Text    string
	Blocks  json.RawMessage
}

// Response is a post to a response URL, decoded.
type Response struct {
	Path            string          `json:"-"` // the URL path, "/respond/NAME"
	Name            string          `json:"-"` // NAME, as given to ResponseURL
	Text            string          `json:"text"`
	ResponseType    string          `json:"response_type"`
	ReplaceOriginal bool            `json:"replace_original"`
	DeleteOriginal  bool            `json:"delete_original"`
	Blocks          json.RawMessage `json:"blocks"`
}

// fault is one planned answer that is not a plain success.
type fault struct {
	status     int    // HTTP status to answer (0: 200 with apiError)
	retryAfter int    // seconds, sent as Retry-After with a 429
	store      bool   // store the message first, then answer status
	apiError   string // {"ok":false,"error":apiError}
}

// message is a stored message and whatever chat.update changed since.
type message struct {
	Post
	user   string // a person who said it; "" for the bot's own posts
	micros int64  // TS as microseconds, for ordering and oldest/latest
}

// Slack is the fake. Its methods are safe for concurrent use.
type Slack struct {
	srv *httptest.Server
	now func() time.Time

	mu            sync.Mutex
	changed       chan struct{} // closed and replaced on every change
	channels      map[string][]*message
	posts         []Post
	updates       []Update
	views         []ViewCall
	viewIDs       int
	responses     []Response
	calls         map[string]int
	postFaults    []fault
	respondFaults []fault
	lastMicros    int64
	// Files (files.go): the uploads, by file ID, and every call's name
	// in order.
	files      map[string]*File
	fileIDs    []string
	order      []string
	fileFaults []fault

	// Socket Mode.
	wmu       sync.Mutex // one writer on the socket at a time
	sock      *websocket.Conn
	conns     int // connections opened so far
	acks      []SocketAck
	tickets   int
	envelopes int
}

// New starts a fake Slack on a loopback port. Close it when done.
func New() *Slack {
	s := &Slack{
		now:      time.Now,
		changed:  make(chan struct{}),
		channels: map[string][]*message{},
		calls:    map[string]int{},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/{method}", s.serveAPI)
	mux.HandleFunc("/respond/{name}", s.serveResponse)
	mux.HandleFunc("/link/", s.serveSocket)
	mux.HandleFunc("/api/upload/{id}", s.serveUpload)
	s.srv = httptest.NewServer(mux)
	return s
}

// Close shuts the fake down.
func (s *Slack) Close() {
	s.closeSocket()
	s.srv.Close()
}

// URL is the Web API base for slack.OptionAPIURL (SLACK_API_URL).
func (s *Slack) URL() string { return s.srv.URL + "/api/" }

// ResponseURL is a response_url on the fake; what is posted to it is kept
// under name.
func (s *Slack) ResponseURL(name string) string {
	return s.srv.URL + "/respond/" + url.PathEscape(name)
}

// FailNext plans the answer to the next chat.postMessage call that has no
// plan yet: HTTP status, with Retry-After: retryAfter seconds when status is
// 429. Nothing is stored: Slack refused the call before acting.
func (s *Slack) FailNext(status, retryAfter int) {
	s.plan(&s.postFaults, fault{status: status, retryAfter: retryAfter})
}

// FailAfterStore plans the ambiguous failure: the next chat.postMessage is
// stored (the message is in the channel), and then answered with status, as
// when Slack posted but the answer was lost on the way back.
func (s *Slack) FailAfterStore(status int) {
	s.plan(&s.postFaults, fault{status: status, store: true})
}

// ErrorNext plans a refusal of the next chat.postMessage the way Slack
// refuses a call it understood: HTTP 200 and {"ok":false,"error":code}
// (channel_not_found, not_in_channel, invalid_auth...).
func (s *Slack) ErrorNext(code string) {
	s.plan(&s.postFaults, fault{apiError: code})
}

// FailNextResponse plans the answer to the next post to any response URL:
// HTTP status, with Retry-After: retryAfter seconds when status is 429.
func (s *Slack) FailNextResponse(status, retryAfter int) {
	s.plan(&s.respondFaults, fault{status: status, retryAfter: retryAfter})
}

func (s *Slack) plan(q *[]fault, f fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	*q = append(*q, f)
}

// Say puts a person's message in a channel (in a thread when threadTS is
// set), as if they had typed it, and returns its ts: the message an
// app_mention event points at, which conversations.replies then knows.
func (s *Slack) Say(channel, threadTS, user, text string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	micros := s.nextMicrosLocked()
	p := Post{Channel: channel, ThreadTS: threadTS, TS: formatTS(micros), Text: text}
	s.channels[channel] = append(s.channels[channel], &message{Post: p, user: user, micros: micros})
	s.changedLocked()
	return p.TS
}

// Posts returns the messages stored by chat.postMessage, in the order they
// were stored, as they were posted.
func (s *Slack) Posts() []Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Post(nil), s.posts...)
}

// History returns a channel's messages as they are now (after any
// chat.update), oldest first, replies included.
func (s *Slack) History(channel string) []Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Post
	for _, m := range s.channels[channel] {
		out = append(out, m.Post)
	}
	return out
}

// Updates returns the chat.update calls Slack accepted.
func (s *Slack) Updates() []Update {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Update(nil), s.updates...)
}

// Responses returns what was posted to response URLs and accepted.
func (s *Slack) Responses() []Response {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Response(nil), s.responses...)
}

// Calls says how many requests a Web API method received, failed ones
// included ("chat.postMessage", "conversations.history"...); "response_url"
// counts posts to response URLs.
func (s *Slack) Calls(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[method]
}

// WaitPosts waits until at least n messages are stored or timeout passes,
// and returns the messages stored by then: the caller asserts on how many.
func (s *Slack) WaitPosts(n int, timeout time.Duration) []Post {
	var out []Post
	s.wait(timeout, func() bool {
		out = append([]Post(nil), s.posts...)
		return len(out) >= n
	})
	return out
}

// WaitResponses waits until at least n response URL posts were accepted or
// timeout passes, and returns those accepted by then.
func (s *Slack) WaitResponses(n int, timeout time.Duration) []Response {
	var out []Response
	s.wait(timeout, func() bool {
		out = append([]Response(nil), s.responses...)
		return len(out) >= n
	})
	return out
}

// wait blocks until done (called with the lock held) is true, waking on
// each change rather than polling.
func (s *Slack) wait(timeout time.Duration, done func() bool) {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		s.mu.Lock()
		ok, changed := done(), s.changed
		s.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-changed:
		case <-timer.C:
			s.mu.Lock()
			done()
			s.mu.Unlock()
			return
		}
	}
}

// changedLocked wakes the waiters; the lock must be held.
func (s *Slack) changedLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// serveAPI answers POST /api/METHOD.
func (s *Slack) serveAPI(w http.ResponseWriter, r *http.Request) {
	method := r.PathValue("method")
	s.mu.Lock()
	s.calls[method]++
	s.order = append(s.order, method)
	s.mu.Unlock()
	if r.Method != http.MethodPost && r.Method != http.MethodGet {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	form, token, err := readForm(r)
	if err != nil {
		apiError(w, "invalid_form_data")
		return
	}
	switch {
	case token == "":
		apiError(w, "not_authed")
		return
	case method == "apps.connections.open":
		s.openConnection(w, token)
		return
	case !strings.HasPrefix(token, "xox"):
		apiError(w, "invalid_auth")
		return
	}
	switch method {
	case "auth.test":
		writeJSON(w, map[string]any{
			"ok": true, "url": "https://fake.slack.com/", "team": "Fake Team", "user": "dsrbot",
			"team_id": TeamID, "user_id": BotUserID, "bot_id": BotID,
		})
	case "chat.postMessage":
		s.postMessage(w, form)
	case "chat.update":
		s.update(w, form)
	case "views.open", "views.update", "views.publish":
		s.view(w, method, form)
	case "conversations.history":
		s.history(w, form)
	case "conversations.replies":
		s.replies(w, form)
	case "files.getUploadURLExternal":
		s.getUploadURL(w, form)
	case "files.completeUploadExternal":
		s.completeUpload(w, form)
	case "conversations.open":
		// The bot's direct-message channel with a user: "D" + the user ID.
		users := form.Get("users")
		if users == "" || strings.Contains(users, ",") {
			apiError(w, "invalid_users")
			return
		}
		writeJSON(w, map[string]any{"ok": true, "channel": map[string]any{"id": "D" + users}})
	default:
		apiError(w, "unknown_method")
	}
}

// readForm reads a Web API call's arguments and token, from a form (as
// slack-go sends them) or a JSON body with a bearer token.
func readForm(r *http.Request) (url.Values, string, error) {
	token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	ctype, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ctype == "application/json" {
		var body map[string]any
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil && !errors.Is(err, io.EOF) {
			return nil, "", err
		}
		form := url.Values{}
		for k, v := range body {
			if str, ok := v.(string); ok {
				form.Set(k, str)
				continue
			}
			raw, _ := json.Marshal(v)
			form.Set(k, string(raw))
		}
		return form, token, nil
	}
	if err := r.ParseForm(); err != nil {
		return nil, "", err
	}
	if t := r.Form.Get("token"); t != "" {
		token = t
	}
	return r.Form, token, nil
}

// takeFault pops the next planned fault of q, if any; the lock must be held.
func takeFault(q *[]fault) (fault, bool) {
	if len(*q) == 0 {
		return fault{}, false
	}
	f := (*q)[0]
	*q = (*q)[1:]
	return f, true
}

// postMessage is chat.postMessage.
func (s *Slack) postMessage(w http.ResponseWriter, form url.Values) {
	s.mu.Lock()
	f, planned := takeFault(&s.postFaults)
	s.mu.Unlock()
	if planned && !f.store {
		if f.apiError != "" {
			apiError(w, f.apiError)
			return
		}
		httpFault(w, f)
		return
	}
	p := Post{Channel: form.Get("channel"), ThreadTS: form.Get("thread_ts"), Text: form.Get("text")}
	if p.Channel == "" {
		apiError(w, "channel_not_found")
		return
	}
	if b := form.Get("blocks"); b != "" {
		if code := checkBlocks(b); code != "" {
			apiError(w, code)
			return
		}
		if b != "[]" {
			p.Blocks = json.RawMessage(b)
		}
	}
	if p.Text == "" && p.Blocks == nil {
		apiError(w, "no_text")
		return
	}
	if utf8.RuneCountInString(p.Text) > 40000 {
		apiError(w, "msg_too_long")
		return
	}
	if md := form.Get("metadata"); md != "" {
		var m Metadata
		if err := json.Unmarshal([]byte(md), &m); err != nil || m.EventType == "" {
			apiError(w, "invalid_metadata_format")
			return
		}
		p.Metadata = &m
	}

	s.mu.Lock()
	micros := s.nextMicrosLocked()
	p.TS = formatTS(micros)
	s.channels[p.Channel] = append(s.channels[p.Channel], &message{Post: p, micros: micros})
	s.posts = append(s.posts, p)
	s.changedLocked()
	s.mu.Unlock()

	if planned {
		httpFault(w, f)
		return
	}
	writeJSON(w, map[string]any{"ok": true, "channel": p.Channel, "ts": p.TS, "message": wireMessage(&p, "", true)})
}

// update is chat.update.
func (s *Slack) update(w http.ResponseWriter, form url.Values) {
	u := Update{Channel: form.Get("channel"), TS: form.Get("ts"), Text: form.Get("text")}
	if b := form.Get("blocks"); b != "" {
		if code := checkBlocks(b); code != "" {
			apiError(w, code)
			return
		}
		u.Blocks = json.RawMessage(b)
	}
	if u.Text == "" && u.Blocks == nil {
		apiError(w, "no_text")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var found *message
	for _, m := range s.channels[u.Channel] {
		if m.TS == u.TS {
			found = m
		}
	}
	if found == nil {
		apiError(w, "message_not_found")
		return
	}
	if found.user != "" {
		apiError(w, "cant_update_message")
		return
	}
	found.Text = u.Text
	if u.Blocks != nil {
		found.Blocks = u.Blocks
	}
	s.updates = append(s.updates, u)
	s.changedLocked()
	writeJSON(w, map[string]any{"ok": true, "channel": u.Channel, "ts": u.TS, "text": u.Text, "message": wireMessage(&found.Post, found.user, true)})
}

// history is conversations.history: a channel's top-level messages, newest
// first, between oldest and latest (exclusive unless inclusive=1), with
// metadata only when include_all_metadata is set.
func (s *Slack) history(w http.ResponseWriter, form url.Values) {
	channel := form.Get("channel")
	if channel == "" {
		apiError(w, "channel_not_found")
		return
	}
	in, ok := window(form)
	if !ok {
		apiError(w, "invalid_ts_oldest")
		return
	}
	limit := limitOf(form, 100, 999)
	meta := truthy(form.Get("include_all_metadata"))
	s.mu.Lock()
	var msgs []*message
	for _, m := range s.channels[channel] {
		if m.ThreadTS == "" && in(m.micros) {
			msgs = append(msgs, m)
		}
	}
	sort.SliceStable(msgs, func(i, j int) bool { return msgs[i].micros > msgs[j].micros })
	out := []map[string]any{}
	for i, m := range msgs {
		if i == limit {
			break
		}
		out = append(out, wireMessage(&m.Post, m.user, meta))
	}
	s.mu.Unlock()
	writeJSON(w, map[string]any{"ok": true, "messages": out, "has_more": len(msgs) > limit, "pin_count": 0})
}

// replies is conversations.replies: a thread's parent, then its replies
// oldest first (the replies between oldest and latest).
func (s *Slack) replies(w http.ResponseWriter, form url.Values) {
	channel, ts := form.Get("channel"), form.Get("ts")
	if channel == "" {
		apiError(w, "channel_not_found")
		return
	}
	in, ok := window(form)
	if !ok {
		apiError(w, "invalid_ts_oldest")
		return
	}
	limit := limitOf(form, 1000, 1000)
	meta := truthy(form.Get("include_all_metadata"))
	s.mu.Lock()
	defer s.mu.Unlock()
	var parent *message
	var thread []*message
	for _, m := range s.channels[channel] {
		switch {
		case m.TS == ts:
			parent = m
		case m.ThreadTS == ts && in(m.micros):
			thread = append(thread, m)
		}
	}
	if parent == nil {
		apiError(w, "thread_not_found")
		return
	}
	out := []map[string]any{wireMessage(&parent.Post, parent.user, meta)}
	for _, m := range thread {
		if len(out) == limit {
			break
		}
		out = append(out, wireMessage(&m.Post, m.user, meta))
	}
	writeJSON(w, map[string]any{"ok": true, "messages": out, "has_more": len(thread)+1 > limit})
}

// serveResponse answers a post to a response URL: JSON with text or blocks.
func (s *Slack) serveResponse(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.calls["response_url"]++
	f, planned := takeFault(&s.respondFaults)
	s.mu.Unlock()
	if planned {
		httpFault(w, f)
		return
	}
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "invalid_payload", http.StatusBadRequest)
		return
	}
	var resp Response
	if err := json.Unmarshal(raw, &resp); err != nil {
		http.Error(w, "invalid_payload", http.StatusBadRequest)
		return
	}
	if string(resp.Blocks) == "null" {
		resp.Blocks = nil
	}
	if resp.Blocks != nil {
		if code := checkBlocks(string(resp.Blocks)); code != "" {
			http.Error(w, code, http.StatusBadRequest)
			return
		}
	}
	if resp.Text == "" && resp.Blocks == nil && !resp.DeleteOriginal {
		http.Error(w, "no_text", http.StatusBadRequest)
		return
	}
	resp.Path = r.URL.Path
	resp.Name = r.PathValue("name")
	s.mu.Lock()
	s.responses = append(s.responses, resp)
	s.changedLocked()
	s.mu.Unlock()
	writeJSON(w, map[string]any{"ok": true})
}

// checkBlocks applies Block Kit's limits as Slack does, returning the error
// code Slack answers ("invalid_blocks") or "" when the blocks pass.
func checkBlocks(raw string) string {
	var blocks []map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &blocks); err != nil {
		return "invalid_blocks_format"
	}
	if len(blocks) > 50 {
		return "invalid_blocks"
	}
	for _, b := range blocks {
		var typ, blockID string
		json.Unmarshal(b["type"], &typ)
		json.Unmarshal(b["block_id"], &blockID)
		if typ == "" || len(blockID) > 255 {
			return "invalid_blocks"
		}
		var text struct {
			Text string `json:"text"`
		}
		json.Unmarshal(b["text"], &text)
		n := utf8.RuneCountInString(text.Text)
		switch typ {
		case "header":
			if n == 0 || n > 150 {
				return "invalid_blocks"
			}
		case "section":
			if n > 3000 {
				return "invalid_blocks"
			}
		case "context":
			var elems []struct {
				Text string `json:"text"`
			}
			json.Unmarshal(b["elements"], &elems)
			if len(elems) == 0 || len(elems) > 10 {
				return "invalid_blocks"
			}
			for _, e := range elems {
				if utf8.RuneCountInString(e.Text) > 3000 {
					return "invalid_blocks"
				}
			}
		case "image":
			// An image names its picture one way: an image_url, or an
			// uploaded file (slack_file). Slack gives a slack_file image
			// back with image_url filled in too, and refuses it sent so.
			var img struct {
				SlackFile *struct {
					ID  string `json:"id"`
					URL string `json:"url"`
				} `json:"slack_file"`
				ImageURL string `json:"image_url"`
			}
			json.Unmarshal(b["slack_file"], &img.SlackFile)
			json.Unmarshal(b["image_url"], &img.ImageURL)
			hasFile := img.SlackFile != nil && (img.SlackFile.ID != "" || img.SlackFile.URL != "")
			if (img.ImageURL == "" && !hasFile) || (img.ImageURL != "" && img.SlackFile != nil) {
				return "invalid_blocks"
			}
		case "actions":
			var elems []json.RawMessage
			json.Unmarshal(b["elements"], &elems)
			if len(elems) == 0 || len(elems) > 25 {
				return "invalid_blocks"
			}
		}
	}
	return ""
}

// wireMessage is a stored message as the Web API returns it.
func wireMessage(p *Post, user string, withMetadata bool) map[string]any {
	m := map[string]any{"type": "message", "user": BotUserID, "bot_id": BotID, "team": TeamID, "text": p.Text, "ts": p.TS}
	if user != "" {
		m["user"] = user
		delete(m, "bot_id")
	}
	if p.ThreadTS != "" {
		m["thread_ts"] = p.ThreadTS
	}
	if p.Blocks != nil {
		m["blocks"] = p.Blocks
	}
	if withMetadata && p.Metadata != nil {
		m["metadata"] = p.Metadata
	}
	return m
}

// nextMicrosLocked is the next message ts, in microseconds: the clock's
// time, moved on when two messages would share one; the lock must be held.
func (s *Slack) nextMicrosLocked() int64 {
	us := s.now().UnixMicro()
	if us <= s.lastMicros {
		us = s.lastMicros + 100
	}
	s.lastMicros = us
	return us
}

// formatTS writes microseconds as Slack's "1700000000.000100".
func formatTS(us int64) string { return fmt.Sprintf("%d.%06d", us/1e6, us%1e6) }

// parseTS reads Slack's "1700000000.000100" as microseconds.
func parseTS(ts string) (int64, bool) {
	sec, frac, _ := strings.Cut(ts, ".")
	s, err := strconv.ParseInt(sec, 10, 64)
	if err != nil {
		return 0, false
	}
	frac = (frac + "000000")[:6]
	f, err := strconv.ParseInt(frac, 10, 64)
	if err != nil {
		return 0, false
	}
	return s*1e6 + f, true
}

// window reads oldest, latest and inclusive into a test on a message's ts.
func window(form url.Values) (func(int64) bool, bool) {
	oldest, latest := int64(0), int64(1<<62)
	var ok bool
	if v := form.Get("oldest"); v != "" {
		if oldest, ok = parseTS(v); !ok {
			return nil, false
		}
	}
	if v := form.Get("latest"); v != "" {
		if latest, ok = parseTS(v); !ok {
			return nil, false
		}
	}
	inclusive := truthy(form.Get("inclusive"))
	return func(us int64) bool {
		if inclusive {
			return us >= oldest && us <= latest
		}
		return us > oldest && us < latest
	}, true
}

func limitOf(form url.Values, def, max int) int {
	n, err := strconv.Atoi(form.Get("limit"))
	if err != nil || n <= 0 {
		return def
	}
	return min(n, max)
}

func truthy(v string) bool { return v == "1" || v == "true" }

// httpFault answers with a planned HTTP error: a 429 carries Retry-After,
// a 5xx an HTML page, as Slack's edge sends.
func httpFault(w http.ResponseWriter, f fault) {
	if f.status == http.StatusTooManyRequests {
		w.Header().Set("Retry-After", strconv.Itoa(f.retryAfter))
		writeJSONStatus(w, f.status, map[string]any{"ok": false, "error": "ratelimited"})
		return
	}
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(f.status)
	fmt.Fprintf(w, "<html><body><h1>%d %s</h1></body></html>", f.status, http.StatusText(f.status))
}

func apiError(w http.ResponseWriter, code string) {
	writeJSON(w, map[string]any{"ok": false, "error": code})
}

func writeJSON(w http.ResponseWriter, v any) { writeJSONStatus(w, http.StatusOK, v) }

func writeJSONStatus(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
