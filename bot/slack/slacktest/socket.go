package slacktest

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gorilla/websocket"
)

// Socket Mode: apps.connections.open (with the app-level xapp- token)
// returns a WebSocket URL on the fake; the app dials it, gets "hello", and
// from then on the test sends envelopes with SendEnvelope and reads the
// app's acknowledgements with WaitAck. SendDisconnect asks the app to
// reconnect, as Slack does every few hours; WaitConnections sees it back.

// SocketAck is an acknowledgement the app sent back over the socket.
type SocketAck struct {
	EnvelopeID string          `json:"envelope_id"`
	Payload    json.RawMessage `json:"payload,omitempty"`
}

// errNoSocket is SendEnvelope's answer when no app is connected.
var errNoSocket = errors.New("slacktest: no socket mode connection")

var upgrader = websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}

// openConnection is apps.connections.open.
func (s *Slack) openConnection(w http.ResponseWriter, token string) {
	if !strings.HasPrefix(token, "xapp-") {
		apiError(w, "invalid_auth")
		return
	}
	s.mu.Lock()
	s.tickets++
	n := s.tickets
	s.mu.Unlock()
	ws := "ws" + strings.TrimPrefix(s.srv.URL, "http") + fmt.Sprintf("/link/?ticket=t%d&app_id=A0DSRBOT", n)
	writeJSON(w, map[string]any{"ok": true, "url": ws})
}

// serveSocket is the WebSocket the app dials.
func (s *Slack) serveSocket(w http.ResponseWriter, r *http.Request) {
	conn, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	// Slack's first message on a connection is "hello", before any
	// envelope: it is written before the connection is handed to
	// SendEnvelope. Like every message that is not an envelope, it has no
	// envelope_id.
	if err := s.write(conn, map[string]any{
		"type": "hello", "num_connections": 1,
		"debug_info":      map[string]any{"host": "slacktest", "approximate_connection_time": 3600},
		"connection_info": map[string]any{"app_id": "A0DSRBOT"},
	}); err != nil {
		conn.Close()
		return
	}
	s.mu.Lock()
	if s.sock != nil {
		s.sock.Close()
	}
	s.sock = conn
	s.conns++
	s.changedLocked()
	s.mu.Unlock()
	for {
		var ack SocketAck
		if err := conn.ReadJSON(&ack); err != nil {
			s.mu.Lock()
			if s.sock == conn {
				s.sock = nil
			}
			s.changedLocked()
			s.mu.Unlock()
			conn.Close()
			return
		}
		s.mu.Lock()
		s.acks = append(s.acks, ack)
		s.changedLocked()
		s.mu.Unlock()
	}
}

// write sends one frame; gorilla allows one writer at a time.
func (s *Slack) write(conn *websocket.Conn, v any) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
	return conn.WriteJSON(v)
}

// WaitSocket waits until an app is connected over Socket Mode, or timeout.
func (s *Slack) WaitSocket(timeout time.Duration) bool {
	var ok bool
	s.wait(timeout, func() bool {
		ok = s.sock != nil
		return ok
	})
	return ok
}

// SendEnvelope sends an envelope of type typ ("slash_commands",
// "events_api", "interactive") carrying payload, as Slack does, and
// returns its envelope ID. retryAttempt is Slack's count of earlier
// deliveries of the same event.
func (s *Slack) SendEnvelope(typ string, payload any, retryAttempt int) (string, error) {
	s.mu.Lock()
	conn := s.sock
	s.envelopes++
	id := fmt.Sprintf("%08x-fake-envelope", s.envelopes)
	s.mu.Unlock()
	if conn == nil {
		return "", errNoSocket
	}
	env := map[string]any{
		"envelope_id": id, "type": typ, "payload": payload,
		"accepts_response_payload": typ != "events_api",
	}
	if typ == "events_api" {
		env["retry_attempt"] = retryAttempt
		env["retry_reason"] = ""
		if retryAttempt > 0 {
			env["retry_reason"] = "timeout"
		}
	}
	return id, s.write(conn, env)
}

// SendDisconnect sends Slack's "disconnect" message on the current
// connection: Slack sends it before it refreshes a connection (reason
// "refresh_requested"), a few seconds ahead ("warning"), or when Socket
// Mode is turned off ("link_disabled"). The app is to open a new
// connection. Like "hello" it has no envelope_id, so it is never
// acknowledged.
func (s *Slack) SendDisconnect(reason string) error {
	s.mu.Lock()
	conn := s.sock
	s.mu.Unlock()
	if conn == nil {
		return errNoSocket
	}
	return s.write(conn, map[string]any{
		"type": "disconnect", "reason": reason,
		"debug_info": map[string]any{"host": "slacktest"},
	})
}

// WaitConnections waits until the app has opened n Socket Mode connections
// in all, or timeout: a reconnection after SendDisconnect is the second.
func (s *Slack) WaitConnections(n int, timeout time.Duration) bool {
	var ok bool
	s.wait(timeout, func() bool {
		ok = s.conns >= n
		return ok
	})
	return ok
}

// Acks returns the acknowledgements received, in order.
func (s *Slack) Acks() []SocketAck {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]SocketAck(nil), s.acks...)
}

// WaitAck waits for the acknowledgement of an envelope, or timeout.
func (s *Slack) WaitAck(envelopeID string, timeout time.Duration) (SocketAck, bool) {
	var found SocketAck
	var ok bool
	s.wait(timeout, func() bool {
		for _, a := range s.acks {
			if a.EnvelopeID == envelopeID {
				found, ok = a, true
			}
		}
		return ok
	})
	return found, ok
}

// closeSocket ends the Socket Mode connection, if any.
func (s *Slack) closeSocket() {
	s.mu.Lock()
	conn := s.sock
	s.sock = nil
	s.mu.Unlock()
	if conn != nil {
		conn.Close()
	}
}
