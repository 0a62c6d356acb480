package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"golang.org/x/term"
)

// progressBar shows an import's progress on a terminal: rows so far, the
// share of the file read, and the rate. It draws nothing when stderr is not
// a terminal, so CI logs stay clean.
type progressBar struct {
	out   io.Writer
	file  *os.File
	size  int64
	start time.Time
	shown bool
}

// progress returns a bar for reading f, live only on a terminal.
func (m *Main) progress(f *os.File) *progressBar {
	b := &progressBar{start: time.Now(), file: f}
	if w, ok := m.Stderr.(*os.File); ok && term.IsTerminal(int(w.Fd())) {
		b.out = w
		if st, err := f.Stat(); err == nil {
			b.size = st.Size()
		}
	}
	return b
}

func (b *progressBar) update(rows int) {
	if b.out == nil {
		return
	}
	rate := float64(rows) / time.Since(b.start).Seconds()
	pct := ""
	if pos, err := b.file.Seek(0, io.SeekCurrent); err == nil && b.size > 0 {
		// The reader runs ahead by its buffer; close enough for a bar.
		pct = fmt.Sprintf("%3.0f%% ", 100*float64(pos)/float64(b.size))
	}
	fmt.Fprintf(b.out, "\rimporting… %s%d rows, %.0f rows/s ", pct, rows, rate)
	b.shown = true
}

func (b *progressBar) done() {
	if b.shown {
		fmt.Fprint(b.out, "\r\033[K")
	}
}
