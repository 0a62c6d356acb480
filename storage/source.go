package storage

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
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
	// serials says how a plain number in a time column is read: as a
	// spreadsheet date, or (nil, text sources) not as a time at all.
	serials() *serialDates
}

// serialDates reads the plain numbers of a workbook's date cells. A
// spreadsheet stores a date as days since its epoch, the time of day as
// the fraction, whatever number format shows it; reading the number rather
// than the text the format makes of it reads every format alike.
type serialDates struct {
	// date1904 is the workbook's date system: days since 1904-01-01 (old
	// Mac Excel) rather than since 1899-12-30.
	date1904 bool
}

// maxSerial is 9999-12-31, the last date a spreadsheet has.
const maxSerial = 2958465

// wall returns the wall-clock time a serial shows, to the nearest second,
// as the fields of a UTC time; ok is false when v is not a plain number
// (a text cell), which is then read as text.
func (d *serialDates) wall(v string) (t time.Time, ok bool, err error) {
	if d == nil || !plainNumber(v) {
		return time.Time{}, false, nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < 1 || f > maxSerial {
		return time.Time{}, true, fmt.Errorf("%s is a number, not a date or time", v)
	}
	t, err = excelize.ExcelDateToTime(f, d.date1904)
	if err != nil {
		return time.Time{}, true, fmt.Errorf("%s is a number, not a date or time", v)
	}
	return t.Round(time.Second), true, nil
}

// plainNumber reports whether v is digits with at most one decimal point,
// the form a workbook stores a number cell's value in.
func plainNumber(v string) bool {
	digits, point := 0, false
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !point:
			point = true
		default:
			return false
		}
	}
	return digits > 0
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

// serials is nil: a number in a CSV file is not a date.
func (s *csvSource) serials() *serialDates { return nil }

// xlsxSource reads the first sheet of a workbook row by row, as the
// cells' values rather than as their number formats show them: a date is
// its serial number whatever the format (serials reads it), an amount
// formatted "¥149.00" is 149, and an ID Excel made a number shows what is
// left of it (6.9179301234567803E+18) so the import can refuse it.
type xlsxSource struct {
	f     *excelize.File
	rows  *excelize.Rows
	line  int
	dates serialDates
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
	props, err := f.GetWorkbookProps()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("not a readable XLSX workbook: %w", err)
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		f.Close()
		return nil, err
	}
	return &xlsxSource{f: f, rows: rows, dates: serialDates{date1904: props.Date1904 != nil && *props.Date1904}}, nil
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
	rec, err := s.rows.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, 0, &unreadable{line: s.line, column: "xlsx", reason: "the workbook cannot be read here: " + err.Error()}
	}
	return rec, s.line, nil
}

func (s *xlsxSource) tolerant() {}

func (s *xlsxSource) serials() *serialDates { return &s.dates }

func (s *xlsxSource) close() error {
	s.rows.Close()
	return s.f.Close()
}

// cleanCell undoes what spreadsheets do to IDs and text in exports: a
// leading tab or apostrophe that keeps a long number from being shown in
// scientific notation, ="…" formula quoting, and surrounding spaces. A
// dash alone is how exports and people write "nothing" (an unshipped
// order's 发货时间, an unpaid one's 支付完成时间): it is empty, in every
// column of every format, so no column parser has to know.
func cleanCell(v string) string {
	v = strings.TrimSpace(v)
	v = strings.TrimLeft(v, "\t'")
	if strings.HasPrefix(v, `="`) && strings.HasSuffix(v, `"`) && len(v) >= 3 {
		v = v[2 : len(v)-1]
	}
	v = strings.TrimSpace(v)
	switch v {
	case "-", "--", "—", "——", "－":
		return ""
	}
	return v
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

// serials is nil: a JSON number is not a date.
func (s *jsonlSource) serials() *serialDates { return nil }
