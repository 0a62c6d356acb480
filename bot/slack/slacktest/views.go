package slacktest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"time"
	"unicode/utf8"
)

// ViewCall is a views.open, views.update or views.publish that Slack
// accepted.
type ViewCall struct {
	Method    string // "views.open", "views.update", "views.publish"
	TriggerID string // views.open
	ViewID    string // views.update's view, or the ID Slack gave an opened one
	UserID    string // views.publish
	View      View
}

// View is a view as the app sent it, decoded as far as tests look.
type View struct {
	Type            string          `json:"type"`
	CallbackID      string          `json:"callback_id"`
	PrivateMetadata string          `json:"private_metadata"`
	Title           json.RawMessage `json:"title"`
	Blocks          json.RawMessage `json:"blocks"`
}

// Views returns the views calls Slack accepted, in order.
func (s *Slack) Views() []ViewCall {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]ViewCall(nil), s.views...)
}

// WaitViews waits until at least n views calls were accepted or timeout
// passes, and returns those accepted by then.
func (s *Slack) WaitViews(n int, timeout time.Duration) []ViewCall {
	var out []ViewCall
	s.wait(timeout, func() bool {
		out = append([]ViewCall(nil), s.views...)
		return len(out) >= n
	})
	return out
}

// WaitUpdates waits until at least n chat.update calls were accepted or
// timeout passes, and returns those accepted by then.
func (s *Slack) WaitUpdates(n int, timeout time.Duration) []Update {
	var out []Update
	s.wait(timeout, func() bool {
		out = append([]Update(nil), s.updates...)
		return len(out) >= n
	})
	return out
}

// view answers views.open (a trigger_id and a modal), views.update (a
// view_id and a modal) and views.publish (a user_id and a home view), as
// Slack checks them: the view is JSON with a type, a modal has a title of
// at most 24 characters, the blocks pass Block Kit's limits (100 in a
// view) and private_metadata is at most 3,000 characters.
func (s *Slack) view(w http.ResponseWriter, method string, form url.Values) {
	call := ViewCall{Method: method, TriggerID: form.Get("trigger_id"), ViewID: form.Get("view_id"), UserID: form.Get("user_id")}
	switch {
	case method == "views.open" && call.TriggerID == "":
		apiError(w, "invalid_arguments")
		return
	case method == "views.update" && call.ViewID == "" && form.Get("external_id") == "":
		apiError(w, "invalid_arguments")
		return
	case method == "views.publish" && call.UserID == "":
		apiError(w, "invalid_arguments")
		return
	}
	if err := json.Unmarshal([]byte(form.Get("view")), &call.View); err != nil || call.View.Type == "" {
		apiError(w, "invalid_arguments")
		return
	}
	want := "modal"
	if method == "views.publish" {
		want = "home"
	}
	if call.View.Type != want {
		apiError(w, "invalid_arguments")
		return
	}
	if want == "modal" {
		var title struct {
			Text string `json:"text"`
		}
		if json.Unmarshal(call.View.Title, &title) != nil || title.Text == "" || utf8.RuneCountInString(title.Text) > 24 {
			apiError(w, "invalid_arguments")
			return
		}
	}
	if utf8.RuneCountInString(call.View.PrivateMetadata) > 3000 {
		apiError(w, "invalid_arguments")
		return
	}
	var blocks []json.RawMessage
	if json.Unmarshal(call.View.Blocks, &blocks) != nil || len(blocks) > 100 {
		apiError(w, "invalid_arguments")
		return
	}
	if len(blocks) > 0 {
		// checkBlocks counts 50, a message's limit; a view's is 100.
		for i := 0; i < len(blocks); i += 50 {
			part, _ := json.Marshal(blocks[i:min(i+50, len(blocks))])
			if code := checkBlocks(string(part)); code != "" {
				apiError(w, code)
				return
			}
		}
	}
	s.mu.Lock()
	if call.ViewID == "" {
		s.viewIDs++
		call.ViewID = fmt.Sprintf("V%08d", s.viewIDs)
	}
	s.views = append(s.views, call)
	s.changedLocked()
	s.mu.Unlock()
	writeJSON(w, map[string]any{"ok": true, "view": map[string]any{"id": call.ViewID, "type": call.View.Type, "callback_id": call.View.CallbackID}})
}
