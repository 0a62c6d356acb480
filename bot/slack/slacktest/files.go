package slacktest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
)

// File is an upload through Slack's external upload flow: asked for with
// files.getUploadURLExternal, its bytes posted to the upload URL, then
// completed (and shared to Channel when one is given) with
// files.completeUploadExternal.
type File struct {
	ID       string
	Name     string
	Alt      string
	Length   int    // as announced to files.getUploadURLExternal
	Data     []byte // as posted to the upload URL; nil before
	Title    string
	Complete bool
	Channel  string // shared to; empty for an unshared upload
	ThreadTS string
}

// Files returns the uploads in the order they were asked for.
func (s *Slack) Files() []File {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]File, len(s.fileIDs))
	for i, id := range s.fileIDs {
		out[i] = *s.files[id]
	}
	return out
}

// Order returns the Web API methods called so far, and "upload" for each
// post to an upload URL, in the order they arrived.
func (s *Slack) Order() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.order...)
}

// ErrorNextUpload plans a refusal of the next files.getUploadURLExternal:
// HTTP 200 and {"ok":false,"error":code}; with status, an HTTP error.
func (s *Slack) ErrorNextUpload(status int, code string) {
	s.plan(&s.fileFaults, fault{status: status, apiError: code})
}

// getUploadURL is files.getUploadURLExternal.
func (s *Slack) getUploadURL(w http.ResponseWriter, form url.Values) {
	s.mu.Lock()
	f, faulty := takeFault(&s.fileFaults)
	s.mu.Unlock()
	if faulty {
		if f.status != 0 {
			httpFault(w, f)
		} else {
			apiError(w, f.apiError)
		}
		return
	}
	n, err := strconv.Atoi(form.Get("length"))
	if form.Get("filename") == "" || err != nil || n <= 0 {
		apiError(w, "invalid_arguments")
		return
	}
	s.mu.Lock()
	if s.files == nil {
		s.files = map[string]*File{}
	}
	id := "F" + strconv.Itoa(1000+len(s.fileIDs))
	s.files[id] = &File{ID: id, Name: form.Get("filename"), Alt: form.Get("alt_txt"), Length: n}
	s.fileIDs = append(s.fileIDs, id)
	s.changedLocked()
	s.mu.Unlock()
	writeJSON(w, map[string]any{"ok": true, "upload_url": s.srv.URL + "/api/upload/" + id, "file_id": id})
}

// serveUpload takes a file's bytes at its upload URL, as a multipart form
// field "file" or a raw body, and refuses a size other than announced.
func (s *Slack) serveUpload(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	s.mu.Lock()
	s.order = append(s.order, "upload")
	f := s.files[id]
	s.mu.Unlock()
	if f == nil || r.Method != http.MethodPost {
		http.Error(w, "no such upload", http.StatusNotFound)
		return
	}
	var data []byte
	if part, _, err := r.FormFile("file"); err == nil {
		data, err = io.ReadAll(part)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
	} else if data, err = io.ReadAll(r.Body); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if len(data) != f.Length {
		http.Error(w, "length differs from the one announced", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	f.Data = data
	s.changedLocked()
	s.mu.Unlock()
	io.WriteString(w, "OK - "+strconv.Itoa(len(data)))
}

// completeUpload is files.completeUploadExternal: every file named must
// have its bytes; channel_id shares them.
func (s *Slack) completeUpload(w http.ResponseWriter, form url.Values) {
	var files []struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	}
	if err := json.Unmarshal([]byte(form.Get("files")), &files); err != nil || len(files) == 0 {
		apiError(w, "invalid_arguments")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []map[string]any
	for _, fs := range files {
		f := s.files[fs.ID]
		if f == nil || f.Data == nil {
			apiError(w, "file_not_found")
			return
		}
		f.Title, f.Complete = fs.Title, true
		f.Channel, f.ThreadTS = form.Get("channel_id"), form.Get("thread_ts")
		out = append(out, map[string]any{"id": f.ID, "title": f.Title})
	}
	s.changedLocked()
	writeJSON(w, map[string]any{"ok": true, "files": out})
}
