// Package ingest is the HTTP endpoint through which the tools that already
// pull a shop's data (an ERP, an RPA script) push scores, reviews and orders:
// POST /ingest/scores|reviews|orders, with a bearer token, each request all
// or nothing, refused with its own JSON errors.
//
// It owns the HTTP side of an import only: reading, authorising and
// answering. The files' formats and the import itself are storage's
// (storage.ImportFile). It has nothing to do with chat, so it imports
// neither bot nor jobs.
package ingest

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"math"
	"mime"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dsrbot/dsrbot/storage"
)

// Importer is what the ingest endpoint needs of the database.
type Importer interface {
	ImportFile(ctx context.Context, req storage.ImportRequest) (*storage.ImportResult, error)
}

// Endpoint takes pushes from the tools that already pull a shop's data (an
// ERP, an RPA script): POST /ingest/scores|reviews|orders with a bearer
// token, body CSV (canonical or a platform export, ?shop=ID for the
// latter) or JSON lines in the canonical fields. Each request is all or
// nothing, with the CLI's row errors as JSON.
//
// Imports go through a single writer. SQLite has one write lock, and an
// import holds it for as long as its body streams in; concurrent imports
// used to queue inside SQLite, where the busy timeout failed them with a
// 500 "database is locked", and each held its own connection and page
// cache meanwhile. Here a request waits for the writer before it reads a
// byte of its body (the client's upload waits in the socket, not in
// memory), at most Wait, and is then answered 503 with Retry-After: a
// signal to come back, never an error. Every refusal reads the body to its
// end first (up to a bound), so a client still uploading sees its answer
// rather than a broken pipe.
type Endpoint struct {
	Store Importer
	// Token is DSRBOT_INGEST_TOKEN; without it the endpoint does not exist.
	Token string
	// MaxBody limits a request body (default DefaultMaxBody).
	MaxBody int64
	// Wait is how long a request waits for the writer before it is
	// answered 503 (default DefaultWait).
	Wait time.Duration
	// BodyTimeout bounds how long a body may take to arrive once the
	// writer is this request's (default DefaultBodyTimeout): the
	// database's write lock is held meanwhile.
	BodyTimeout time.Duration
	Log         *slog.Logger

	once   sync.Once
	writer chan struct{} // holds a token while an import runs
}

// Defaults of the ingest endpoint.
const (
	// DefaultMaxBody is 64 MiB: hundreds of thousands of rows.
	DefaultMaxBody = 64 << 20
	// DefaultWait lets a request queue behind a few large imports
	// (400,000 rows take 4-10 s) before it is told to come back.
	DefaultWait = 30 * time.Second
	// DefaultBodyTimeout is 64 MiB at about 0.5 MB/s.
	DefaultBodyTimeout = 2 * time.Minute
)

// Handler returns the endpoint; it answers 404 while no token is set.
func (ep *Endpoint) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /ingest/{kind}", ep.serve)
	return mux
}

// ingestError is the JSON body of a refused request.
type ingestError struct {
	Error struct {
		Message string `json:"message"`
		File    string `json:"file,omitempty"`
		Line    int    `json:"line,omitempty"`
		Column  string `json:"column,omitempty"`
		Reason  string `json:"reason,omitempty"`
	} `json:"error"`
}

func jsonError(w http.ResponseWriter, status int, msg string) {
	var e ingestError
	e.Error.Message = msg
	w.WriteHeader(status)
	writeJSON(w, e)
}

func (ep *Endpoint) serve(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	limit := ep.MaxBody
	if limit == 0 {
		limit = DefaultMaxBody
	}
	body := &bodyReader{r: r.Body}
	// refuse reads what is left of the body (up to limit more bytes, past
	// which the connection is closed rather than read forever) and then
	// answers.
	refuse := func(status int, msg string) {
		io.Copy(io.Discard, io.LimitReader(body, limit))
		jsonError(w, status, msg)
	}
	if ep.Token == "" {
		refuse(http.StatusNotFound, "ingest is disabled: set DSRBOT_INGEST_TOKEN")
		return
	}
	if !ep.authorised(r.Header.Get("Authorization")) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="dsrbot ingest"`)
		refuse(http.StatusUnauthorized, "a valid bearer token is required")
		return
	}
	kind, err := storage.ParseKind(r.PathValue("kind"))
	if err != nil {
		refuse(http.StatusNotFound, storage.ErrorMessage(err))
		return
	}

	rc := http.NewResponseController(w)
	// The server's read timeout is meant for Slack's small requests; here
	// the wait for the writer and then the body's arrival are bounded.
	rc.SetReadDeadline(time.Now().Add(ep.wait() + ep.bodyTimeout()))
	release, ok := ep.acquire(r.Context())
	if !ok {
		if r.Context().Err() != nil {
			return // the client left
		}
		w.Header().Set("Retry-After", ep.retryAfter())
		refuse(http.StatusServiceUnavailable, "other imports are running; nothing was written: send it again after Retry-After seconds")
		return
	}
	defer release() // also when the import panics
	rc.SetReadDeadline(time.Now().Add(ep.bodyTimeout()))

	mediatype, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	req := storage.ImportRequest{
		Kind:      kind,
		Name:      "request",
		Reader:    http.MaxBytesReader(w, body, limit),
		Shop:      r.URL.Query().Get("shop"),
		JSONLines: mediatype == "application/x-ndjson" || mediatype == "application/jsonl" || mediatype == "application/json",
	}
	res, err := ep.Store.ImportFile(r.Context(), req)
	// The next import need not wait while this body is drained.
	release()
	var tooBig *http.MaxBytesError
	var ie *storage.ImportError
	var timeout net.Error
	switch {
	case err == nil:
		ep.log().InfoContext(r.Context(), "ingested", "kind", kind, "rows", res.Rows, "inserted", res.Inserted, "updated", res.Updated)
		writeJSON(w, map[string]any{
			"kind": res.Kind, "format": res.Format, "encoding": res.Encoding, "rows": res.Rows,
			"inserted": res.Inserted, "updated": res.Updated, "unchanged": res.Unchanged, "skipped": res.Skipped,
			"elapsed_ms": res.Elapsed.Milliseconds(),
		})
	case errors.As(err, &tooBig):
		refuse(http.StatusRequestEntityTooLarge, "the body is over the size limit; send it in parts")
	case body.err != nil && errors.As(body.err, &timeout) && timeout.Timeout():
		jsonError(w, http.StatusRequestTimeout, "the body did not arrive in time; nothing was written")
	case body.err != nil:
		// The client broke off the upload: there is no one to answer.
		ep.log().WarnContext(r.Context(), "ingest body broken off", "kind", kind, "err", body.err)
		jsonError(w, http.StatusBadRequest, "the body could not be read; nothing was written")
	case errors.As(err, &ie):
		var e ingestError
		e.Error.Message, e.Error.File, e.Error.Line, e.Error.Column, e.Error.Reason = ie.Error(), ie.File, ie.Line, ie.Column, ie.Reason
		io.Copy(io.Discard, io.LimitReader(body, limit))
		w.WriteHeader(http.StatusUnprocessableEntity)
		writeJSON(w, e)
	case storage.IsBusy(err):
		// Another process (a CLI import) held the database past its
		// busy timeout: the same answer as a busy writer here.
		ep.log().WarnContext(r.Context(), "ingest found the database busy", "kind", kind, "err", err)
		w.Header().Set("Retry-After", ep.retryAfter())
		refuse(http.StatusServiceUnavailable, "the database is busy with another import; nothing was written: send it again after Retry-After seconds")
	default:
		ep.log().ErrorContext(r.Context(), "ingest failed", "kind", kind, "err", err)
		refuse(http.StatusInternalServerError, "internal error; nothing was written")
	}
}

// acquire waits, at most Wait, for the single writer; release gives it
// back, once however often it is called. Waiting requests are served in the order they came (a channel
// queues its senders).
func (ep *Endpoint) acquire(ctx context.Context) (release func(), ok bool) {
	ep.once.Do(func() { ep.writer = make(chan struct{}, 1) })
	timer := time.NewTimer(ep.wait())
	defer timer.Stop()
	select {
	case ep.writer <- struct{}{}:
		var once sync.Once
		return func() { once.Do(func() { <-ep.writer }) }, true
	case <-timer.C:
	case <-ctx.Done():
	}
	return nil, false
}

// retryAfter is the Retry-After of a 503, in whole seconds: another wait.
func (ep *Endpoint) retryAfter() string {
	return strconv.Itoa(int(math.Ceil(ep.wait().Seconds())))
}

func (ep *Endpoint) wait() time.Duration {
	if ep.Wait <= 0 {
		return DefaultWait
	}
	return ep.Wait
}

func (ep *Endpoint) bodyTimeout() time.Duration {
	if ep.BodyTimeout <= 0 {
		return DefaultBodyTimeout
	}
	return ep.BodyTimeout
}

// bodyReader is a request body that remembers why reading it failed, so
// the cause of a failed import can be told: the client's body (408, 400)
// or the database (503, 500).
type bodyReader struct {
	r   io.ReadCloser
	err error
}

func (b *bodyReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err != nil && err != io.EOF && b.err == nil {
		b.err = err
	}
	return n, err
}

func (b *bodyReader) Close() error { return b.r.Close() }

// authorised compares the bearer token in constant time: digests of equal
// length, so neither the token's bytes nor its length leak through timing.
func (ep *Endpoint) authorised(header string) bool {
	token, ok := strings.CutPrefix(header, "Bearer ")
	if !ok {
		return false
	}
	got, want := sha256.Sum256([]byte(token)), sha256.Sum256([]byte(ep.Token))
	return subtle.ConstantTimeCompare(got[:], want[:]) == 1
}

func (ep *Endpoint) log() *slog.Logger {
	if ep.Log == nil {
		return slog.Default()
	}
	return ep.Log
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}
