package storage

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// source yields the header and rows of an import file, whatever its
// container (CSV or XLSX) and encoding (UTF-8, UTF-8 with BOM, GBK).
type source interface {
	header() ([]string, error)
	// next returns the next record and the line it starts on; io.EOF ends.
	next() ([]string, int, error)
	close() error
	// tolerant relaxes parsing for exports written by spreadsheets, which
	// quote sloppily (bare ="123" cells); canonical files stay strict.
	tolerant()
}

// Encodings an import may come in.
const (
	encUTF8 = "UTF-8"
	encGBK  = "GBK"
	encXLSX = "XLSX"
)

// sniffLen is how much of a file the encoding is guessed from: enough for
// the header and many rows of Chinese text.
const sniffLen = 64 << 10

// openSource detects the container and the encoding from the first bytes:
// a zip header is XLSX; a UTF-8 BOM, or bytes that are valid UTF-8, are
// UTF-8; anything else is GBK, which is what Excel writes for "CSV" on
// Chinese Windows. The file is never asked about its encoding.
func openSource(r io.Reader) (source, string, error) {
	br := bufio.NewReaderSize(r, sniffLen)
	head, err := br.Peek(sniffLen)
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, "", err
	}
	if bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		s, err := openXLSX(br)
		return s, encXLSX, err
	}
	if bytes.HasPrefix(head, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
		return newCSVSource(br), encUTF8, nil
	}
	if validUTF8Prefix(head, len(head) < sniffLen) {
		return newCSVSource(br), encUTF8, nil
	}
	return newCSVSource(transform.NewReader(br, simplifiedchinese.GBK.NewDecoder())), encGBK, nil
}

// validUTF8Prefix reports whether b is valid UTF-8, allowing a rune cut
// at the end of a sample that is not the whole file.
func validUTF8Prefix(b []byte, whole bool) bool {
	if utf8.Valid(b) {
		return true
	}
	if whole {
		return false
	}
	for cut := 1; cut <= 3 && cut < len(b); cut++ {
		if utf8.Valid(b[:len(b)-cut]) {
			return true
		}
	}
	return false
}

// csvSource reads CSV records.
type csvSource struct{ r *csv.Reader }

func newCSVSource(r io.Reader) *csvSource {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1
	return &csvSource{r: cr}
}

func (s *csvSource) header() ([]string, error) {
	h, err := s.r.Read()
	if err != nil {
		return nil, err
	}
	return append([]string(nil), h...), nil
}

func (s *csvSource) next() ([]string, int, error) {
	rec, err := s.r.Read()
	if err != nil {
		return nil, 0, err
	}
	line, _ := s.r.FieldPos(0)
	return rec, line, nil
}

func (s *csvSource) close() error { return nil }

func (s *csvSource) tolerant() { s.r.LazyQuotes = true }

// xlsxSource reads the first sheet of a workbook row by row.
type xlsxSource struct {
	f    *excelize.File
	rows *excelize.Rows
	line int
}

func openXLSX(r io.Reader) (*xlsxSource, error) {
	f, err := excelize.OpenReader(r)
	if err != nil {
		return nil, fmt.Errorf("not a readable XLSX workbook: %w", err)
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return nil, errors.New("the workbook has no sheets")
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		f.Close()
		return nil, err
	}
	return &xlsxSource{f: f, rows: rows}, nil
}

func (s *xlsxSource) header() ([]string, error) {
	rec, _, err := s.next()
	return rec, err
}

func (s *xlsxSource) next() ([]string, int, error) {
	if !s.rows.Next() {
		if err := s.rows.Error(); err != nil {
			return nil, 0, &unreadable{line: s.line + 1, column: "xlsx", reason: "the workbook cannot be read here: " + err.Error()}
		}
		return nil, 0, io.EOF
	}
	s.line++
	rec, err := s.rows.Columns()
	if err != nil {
		return nil, 0, &unreadable{line: s.line, column: "xlsx", reason: "the workbook cannot be read here: " + err.Error()}
	}
	return rec, s.line, nil
}

func (s *xlsxSource) tolerant() {}

func (s *xlsxSource) close() error {
	s.rows.Close()
	return s.f.Close()
}

// cleanCell undoes what spreadsheets do to IDs and text in exports: a
// leading tab or apostrophe that keeps a long number from being shown in
// scientific notation, ="…" formula quoting, and surrounding spaces.
func cleanCell(v string) string {
	v = strings.TrimSpace(v)
	v = strings.TrimLeft(v, "\t'")
	if strings.HasPrefix(v, `="`) && strings.HasSuffix(v, `"`) && len(v) >= 3 {
		v = v[2 : len(v)-1]
	}
	return strings.TrimSpace(v)
}

// unreadable is a file found damaged while its rows are read (an XLSX
// whose XML is broken): a fault of the file, not of dsrbot, so it is
// reported like a bad row, with where it was found.
type unreadable struct {
	line           int
	column, reason string
}

func (e *unreadable) Error() string { return e.reason }

// maxJSONLine is the longest JSON line an import reads.
const maxJSONLine = 4 << 20

// jsonlSource reads JSON lines: one object per line with canonical field
// names, the form tools that push data (ERP, RPA scripts) write easily.
type jsonlSource struct {
	name string
	sc   *bufio.Scanner
	cols []string
	line int
	rec  []string
}

func newJSONLSource(name string, r io.Reader, cols []string) *jsonlSource {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxJSONLine)
	return &jsonlSource{name: name, sc: sc, cols: cols, rec: make([]string, len(cols))}
}

func (s *jsonlSource) header() ([]string, error) { return s.cols, nil }

func (s *jsonlSource) next() ([]string, int, error) {
	for s.sc.Scan() {
		s.line++
		text := bytes.TrimSpace(s.sc.Bytes())
		if len(text) == 0 {
			continue
		}
		var obj map[string]any
		dec := json.NewDecoder(bytes.NewReader(text))
		dec.UseNumber()
		if err := dec.Decode(&obj); err != nil {
			return nil, 0, &ImportError{File: s.name, Line: s.line, Column: "json", Reason: "not a JSON object: " + err.Error()}
		}
		for i, c := range s.cols {
			switch v := obj[c].(type) {
			case nil:
				s.rec[i] = ""
			case string:
				s.rec[i] = v
			case json.Number:
				s.rec[i] = v.String()
			case bool:
				s.rec[i] = fmt.Sprint(v)
			default:
				return nil, 0, &ImportError{File: s.name, Line: s.line, Column: c, Reason: "must be a string or a number"}
			}
		}
		return s.rec, s.line, nil
	}
	if err := s.sc.Err(); errors.Is(err, bufio.ErrTooLong) {
		return nil, 0, &ImportError{File: s.name, Line: s.line + 1, Column: "json", Reason: fmt.Sprintf("a line is over %d MiB; send one object per line", maxJSONLine>>20)}
	} else if err != nil {
		return nil, 0, err
	}
	return nil, 0, io.EOF
}

func (s *jsonlSource) close() error { return nil }
func (s *jsonlSource) tolerant()    {}
