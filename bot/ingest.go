package bot

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"log/slog"
	"mime"
	"net/http"
	"strings"

	"github.com/dsrbot/dsrbot/storage"
)

// Importer is what the ingest endpoint needs of the database.
type Importer interface {
	ImportFile(ctx context.Context, req storage.ImportRequest) (*storage.ImportResult, error)
}

// Ingest takes pushes from the tools that already pull a shop's data (an
// ERP, an RPA script): POST /ingest/scores|reviews|orders with a bearer
// token, body CSV (canonical or a platform export, ?shop=ID for the
// latter) or JSON lines in the canonical fields. Each request is all or
// nothing, with the CLI's row errors as JSON.
type Ingest struct {
	Store Importer
	// Token is DSRBOT_INGEST_TOKEN; without it the endpoint does not exist.
	Token string
	// MaxBody limits a request body (default DefaultIngestMaxBody).
	MaxBody int64
	Log     *slog.Logger
}

// DefaultIngestMaxBody is 64 MiB: hundreds of thousands of rows.
const DefaultIngestMaxBody = 64 << 20

// Handler returns the endpoint; it answers 404 while no token is set.
func (in *Ingest) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /ingest/{kind}", in.serve)
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

func (in *Ingest) serve(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if in.Token == "" {
		jsonError(w, http.StatusNotFound, "ingest is disabled: set DSRBOT_INGEST_TOKEN")
		return
	}
	if !in.authorised(r.Header.Get("Authorization")) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="dsrbot ingest"`)
		jsonError(w, http.StatusUnauthorized, "a valid bearer token is required")
		return
	}
	kind, err := storage.ParseKind(r.PathValue("kind"))
	if err != nil {
		jsonError(w, http.StatusNotFound, storage.ErrorMessage(err))
		return
	}
	limit := in.MaxBody
	if limit == 0 {
		limit = DefaultIngestMaxBody
	}
	mediatype, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	req := storage.ImportRequest{
		Kind:      kind,
		Name:      "request",
		Reader:    http.MaxBytesReader(w, r.Body, limit),
		Shop:      r.URL.Query().Get("shop"),
		JSONLines: mediatype == "application/x-ndjson" || mediatype == "application/jsonl" || mediatype == "application/json",
	}
	res, err := in.Store.ImportFile(r.Context(), req)
	var tooBig *http.MaxBytesError
	var ie *storage.ImportError
	switch {
	case errors.As(err, &tooBig):
		jsonError(w, http.StatusRequestEntityTooLarge, "the body is over the size limit; send it in parts")
	case errors.As(err, &ie):
		var e ingestError
		e.Error.Message, e.Error.File, e.Error.Line, e.Error.Column, e.Error.Reason = ie.Error(), ie.File, ie.Line, ie.Column, ie.Reason
		w.WriteHeader(http.StatusUnprocessableEntity)
		writeJSON(w, e)
	case err != nil:
		in.log().ErrorContext(r.Context(), "ingest failed", "kind", kind, "err", err)
		jsonError(w, http.StatusInternalServerError, "internal error; nothing was written")
	default:
		in.log().InfoContext(r.Context(), "ingested", "kind", kind, "rows", res.Rows, "inserted", res.Inserted, "updated", res.Updated)
		writeJSON(w, map[string]any{
			"kind": res.Kind, "format": res.Format, "encoding": res.Encoding, "rows": res.Rows,
			"inserted": res.Inserted, "updated": res.Updated, "unchanged": res.Unchanged, "skipped": res.Skipped,
			"elapsed_ms": res.Elapsed.Milliseconds(),
		})
	}
}

// authorised compares the bearer token in constant time: digests of equal
// length, so neither the token's bytes nor its length leak through timing.
func (in *Ingest) authorised(header string) bool {
	token, ok := strings.CutPrefix(header, "Bearer ")
	if !ok {
		return false
	}
	got, want := sha256.Sum256([]byte(token)), sha256.Sum256([]byte(in.Token))
	return subtle.ConstantTimeCompare(got[:], want[:]) == 1
}

func (in *Ingest) log() *slog.Logger {
	if in.Log == nil {
		return slog.Default()
	}
	return in.Log
}
