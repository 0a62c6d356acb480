package storage

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// Kind is what a file imports: scores, reviews or orders.
type Kind string

// The kinds of import.
const (
	KindScores  Kind = "scores"
	KindReviews Kind = "reviews"
	KindOrders  Kind = "orders"
)

// ParseKind reads an import kind.
func ParseKind(s string) (Kind, error) {
	switch k := Kind(s); k {
	case KindScores, KindReviews, KindOrders:
		return k, nil
	}
	return "", Errorf(EINVALID, "unknown import kind %q: use scores, reviews or orders", s)
}

// Columns returns the canonical CSV header of a kind.
func (k Kind) Columns() []string {
	switch k {
	case KindScores:
		return []string{"shop", "date", "overall", "product", "logistics", "service"}
	case KindReviews:
		return []string{"shop", "review_id", "order_id", "product_id", "product", "rating", "created_at", "content"}
	default:
		return []string{"shop", "order_id", "product", "amount", "paid_at", "promise", "promised_ship_by", "shipped_at", "tracking_no"}
	}
}

// required returns the columns a file of this kind must have; the others may
// be left out of the header entirely.
func (k Kind) required() []string {
	switch k {
	case KindScores:
		// A Douyin growth-stage day has no dimensions; each row says
		// which of its values it lacks.
		return []string{"shop", "date"}
	case KindReviews:
		return []string{"shop", "review_id", "rating", "created_at"}
	default:
		return []string{"shop", "order_id", "amount", "paid_at"}
	}
}

func (k Kind) table() *table {
	switch k {
	case KindScores:
		return &scoresTable
	case KindReviews:
		return &reviewsTable
	default:
		return &ordersTable
	}
}

// ImportError is a bad row: where it is and why it was refused. Its text is
// the contract's FILE:LINE: column: reason.
type ImportError struct {
	File   string
	Line   int
	Column string
	Reason string
	// Err is the cause when reading failed (a body over its size limit).
	Err error
}

// Unwrap gives the cause, so a caller can tell a refused size from a bad row.
func (e *ImportError) Unwrap() error { return e.Err }

func (e *ImportError) Error() string {
	if e.Line == 0 {
		// A problem with the command, not with a line of the file
		// (an unknown --shop): FILE:0 would send the reader to the file.
		return fmt.Sprintf("%s: %s", e.Column, e.Reason)
	}
	return fmt.Sprintf("%s:%d: %s: %s", e.File, e.Line, e.Column, e.Reason)
}

// ImportResult summarises a finished import.
type ImportResult struct {
	Kind     Kind
	Format   string // the canonical CSV, or which platform export
	Encoding string // UTF-8, GBK or XLSX
	// Rows were read and checked; of them Inserted were new, Updated
	// changed an existing row, Unchanged matched one exactly. Skipped rows
	// are not imported by design (an unpaid order in an export).
	Rows, Inserted, Updated, Unchanged, Skipped int
	Elapsed                                     time.Duration
}

// ImportRequest is one file to import.
type ImportRequest struct {
	// Kind is what the file must hold; a platform export is recognised by
	// its header and must hold this kind.
	Kind   Kind
	Name   string // used in errors
	Reader io.Reader
	// Shop is the shop of a platform export (which has no shop column), or
	// of a canonical file without one.
	Shop string
	// Progress, when set, is told the count of rows read so far, every
	// ProgressEvery rows.
	Progress func(rows int)
	// JSONLines says the body is JSON lines with canonical field names
	// rather than a file.
	JSONLines bool
}

// ProgressEvery is how often an import reports progress.
const ProgressEvery = 10000

// Import reads a canonical CSV file of the given kind; see ImportFile.
func (db *DB) Import(ctx context.Context, kind Kind, name string, r io.Reader) (*ImportResult, error) {
	return db.ImportFile(ctx, ImportRequest{Kind: kind, Name: name, Reader: r})
}

// ImportFile reads a file of the request's kind (canonical CSV, or a
// platform export in CSV of any common encoding or XLSX) and upserts its
// rows in one transaction: a bad row stops it with an *ImportError and
// nothing of the file is written. Rows stream through batched multi-row
// statements, so memory stays flat however long the file is.
func (db *DB) ImportFile(ctx context.Context, req ImportRequest) (*ImportResult, error) {
	start := time.Now()
	name, kind := req.Name, req.Kind
	fail := func(line int, col, reason string) error {
		return &ImportError{File: name, Line: line, Column: col, Reason: reason}
	}
	shops, err := db.ListShops(ctx)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*Shop, len(shops))
	for i := range shops {
		byID[shops[i].ID] = &shops[i]
	}
	if req.Shop != "" && byID[req.Shop] == nil {
		return nil, fail(0, "--shop", fmt.Sprintf("unknown shop %q (add it first: dsrbot shop add %s --name NAME --platform douyin|taobao)", req.Shop, req.Shop))
	}

	var src source
	var encoding string
	if req.JSONLines {
		src, encoding = newJSONLSource(name, req.Reader, fields(kind)), "JSON lines"
	} else if src, encoding, err = openSource(req.Reader); err != nil {
		return nil, &ImportError{File: name, Line: 1, Column: "file", Reason: err.Error(), Err: err}
	}
	defer src.close()
	header, err := src.header()
	if err == io.EOF {
		return nil, fail(1, "header", "the file is empty; the first line must be: "+strings.Join(kind.Columns(), ","))
	}
	if err != nil {
		return nil, csvError(name, err)
	}
	hdr := make(map[string]int, len(header))
	for i, h := range header {
		if n := normaliseHeader(h); n != "" {
			if _, dup := hdr[n]; !dup {
				hdr[n] = i
			}
		}
	}
	f, err := detectFormat(hdr, kind)
	if err != nil {
		return nil, fail(1, "header", err.Error())
	}
	if f.needsShop && req.Shop == "" {
		return nil, fail(1, "--shop", "this is a "+f.name+", which has no shop column: name the shop with --shop ID")
	}
	if shop := byID[req.Shop]; f.platform != "" && shop != nil && shop.Platform != f.platform {
		return nil, fail(1, "--shop", fmt.Sprintf("this is a %s, but %s is a %s shop; name a %s shop", f.name, shop.ID, platformName(shop.Platform), platformName(f.platform)))
	}
	if f.needsShop {
		src.tolerant()
	}

	// Map each field to its column in this file.
	all := fields(kind)
	for fld := range f.columns {
		if !contains(all, fld) {
			all = append(all, fld)
		}
	}
	fieldIndex := make(map[string]int, len(all))
	srcIdx := make([]int, len(all))
	display := make(map[string]string, len(all))
	for i, fld := range all {
		fieldIndex[fld] = i
		srcIdx[i] = -1
		for _, alias := range f.columns[fld] {
			if j, ok := hdr[normaliseHeader(alias)]; ok {
				srcIdx[i], display[fld] = j, alias
				break
			}
		}
		if display[fld] == "" && len(f.columns[fld]) > 0 {
			display[fld] = f.columns[fld][0]
		}
	}
	required := f.required
	if !f.needsShop && req.Shop == "" {
		required = append([]string{"shop"}, required...)
	}
	for _, fld := range required {
		if srcIdx[fieldIndex[fld]] < 0 {
			reason := "missing column; the header must be: " + strings.Join(kind.Columns(), ",")
			if f.needsShop {
				reason = "missing column of the " + f.name
			}
			return nil, fail(1, display[fld], reason)
		}
	}
	for _, group := range f.together {
		var have, missing []string
		for _, fld := range group {
			if srcIdx[fieldIndex[fld]] >= 0 {
				have = append(have, fld)
			} else {
				missing = append(missing, fld)
			}
		}
		if len(have) > 0 && len(missing) > 0 {
			return nil, fail(1, display[missing[0]], "missing column: "+strings.Join(group, ", ")+" come together; the header must be: "+strings.Join(kind.Columns(), ","))
		}
	}

	parse := rowParsers[kind]
	keywords, err := db.keywordsByShop(ctx)
	if err != nil {
		return nil, err
	}
	rec := make([]string, len(all))
	row := &csvRow{file: name, index: fieldIndex, record: rec, keywords: keywords, display: display, serials: src.serials()}
	ids := newIDGuard(kind, fieldIndex)
	get := func(fld string) string { return rec[fieldIndex[fld]] }
	set := func(fld, v string) { rec[fieldIndex[fld]] = v }

	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	t := kind.table()
	var rowsBefore int64
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+t.name).Scan(&rowsBefore); err != nil {
		return nil, err
	}
	// Reviews added by this import have ids above the current maximum; they
	// get owners by the shops' routing rules before the commit.
	var lastReview int64
	if kind == KindReviews {
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM reviews`).Scan(&lastReview); err != nil {
			return nil, err
		}
	}
	res := &ImportResult{Kind: kind, Format: f.name, Encoding: encoding}
	b := newBatcher(ctx, db.d, tx, t)
	defer b.close()
	for {
		record, line, err := src.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(name, err)
		}
		row.line = line
		blank := true
		for i, j := range srcIdx {
			v := ""
			if j >= 0 && j < len(record) {
				v = cleanCell(record[j])
			}
			rec[i] = v
			blank = blank && v == ""
		}
		if blank {
			continue
		}
		if f.needsShop || (req.Shop != "" && get("shop") == "") {
			set("shop", req.Shop)
		}
		if fld, v := ids.check(row); fld != "" {
			lang := ""
			if shop := byID[get("shop")]; shop != nil {
				lang = shop.Lang
			}
			return nil, row.fail(fld, lostDigits(v, lang))
		}
		if f.convert != nil {
			skip, ferr := f.convert(get, set)
			if ferr != nil {
				return nil, row.fail(ferr.field, ferr.reason)
			}
			if skip {
				res.Skipped++
				continue
			}
		}
		shopID := get("shop")
		shop, ok := byID[shopID]
		if !ok {
			if shopID == "" {
				return nil, row.fail("shop", "required")
			}
			return nil, row.fail("shop", fmt.Sprintf("unknown shop %q (add it first: dsrbot shop add %s --name NAME --platform douyin|taobao)", shopID, shopID))
		}
		values, err := parse(row, shop)
		if err != nil {
			return nil, err
		}
		if err := b.add(values...); err != nil {
			return nil, fmt.Errorf("%s:%d: write: %w", name, row.line, err)
		}
		res.Rows++
		if req.Progress != nil && res.Rows%ProgressEvery == 0 {
			req.Progress(res.Rows)
		}
	}
	if err := b.close(); err != nil {
		return nil, fmt.Errorf("%s: write: %w", name, err)
	}
	var rowsAfter int64
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+t.name).Scan(&rowsAfter); err != nil {
		return nil, err
	}
	res.Inserted = int(rowsAfter - rowsBefore)
	res.Updated = int(b.changed) - res.Inserted
	res.Unchanged = res.Rows - res.Inserted - res.Updated
	if kind == KindReviews {
		if err := autoAssign(ctx, db.d, db.onTx(ctx, tx), lastReview, db.now()); err != nil {
			return nil, fmt.Errorf("%s: assign owners: %w", name, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("%s: commit: %w", name, err)
	}
	res.Elapsed = time.Since(start)
	return res, nil
}

// platformName is how an import error names a marketplace.
func platformName(p Platform) string {
	if p == Taobao {
		return "Taobao"
	}
	return "Douyin (抖店)"
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// csvError turns an encoding/csv error into the contract's form.
func csvError(name string, err error) error {
	var ie *ImportError
	if errors.As(err, &ie) {
		return ie
	}
	var ue *unreadable
	if errors.As(err, &ue) {
		return &ImportError{File: name, Line: ue.line, Column: ue.column, Reason: ue.reason}
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		// StartLine is where the bad record begins, which is where a person
		// looks; Line is where the reader gave up.
		return &ImportError{File: name, Line: pe.StartLine, Column: "csv", Reason: pe.Err.Error()}
	}
	return fmt.Errorf("%s: read: %w", name, err)
}

// csvRow is the current record with its header, so parsers ask for columns
// by name and report errors with the file, line and column.
type csvRow struct {
	file   string
	line   int
	index  map[string]int
	record []string
	// keywords are each shop's own aspect words.
	keywords map[string][]Keyword
	// display names each field by the file's own column, for errors.
	display map[string]string
	// serials reads a plain number in a time column as a spreadsheet
	// date; nil for text sources, where it is not a time.
	serials *serialDates
}

// get returns the value of a field; absent fields are empty.
func (r *csvRow) get(col string) string {
	i, ok := r.index[col]
	if !ok || i >= len(r.record) {
		return ""
	}
	return r.record[i]
}

func (r *csvRow) fail(col, reason string) *ImportError {
	if d, ok := r.display[col]; ok && d != "" {
		col = d
	}
	return &ImportError{File: r.file, Line: r.line, Column: col, Reason: reason}
}

// required returns a column's value or the error for its absence.
func (r *csvRow) required(col string) (string, error) {
	v := r.get(col)
	if v == "" {
		return "", r.fail(col, "required")
	}
	return v, nil
}

// time parses a time column in the shop's zone; empty is the zero time.
// A workbook's date cell is read by its serial, as the wall time it shows.
func (r *csvRow) time(col string, loc *time.Location) (time.Time, error) {
	v := r.get(col)
	if v == "" {
		return time.Time{}, nil
	}
	if wall, ok, err := r.serials.wall(v); ok {
		if err != nil {
			return time.Time{}, r.fail(col, err.Error())
		}
		return time.Date(wall.Year(), wall.Month(), wall.Day(), wall.Hour(), wall.Minute(), wall.Second(), 0, loc), nil
	}
	t, err := ParseTime(v, loc)
	if err != nil {
		return time.Time{}, r.fail(col, err.Error())
	}
	return t, nil
}

// optFloat parses an optional number column within [lo, hi]; empty is nil.
func (r *csvRow) optFloat(col string, lo, hi float64) (*float64, error) {
	if r.get(col) == "" {
		return nil, nil
	}
	f, err := r.float(col, lo, hi)
	if err != nil {
		return nil, err
	}
	return &f, nil
}

// day parses a required date column as YYYY-MM-DD, from any date shape
// ParseTime reads or a workbook's date cell.
func (r *csvRow) day(col string) (string, error) {
	v, err := r.required(col)
	if err != nil {
		return "", err
	}
	if wall, ok, err := r.serials.wall(v); ok {
		if err != nil {
			return "", r.fail(col, err.Error())
		}
		return wall.Format(DateLayout), nil
	}
	d, err := parseDay(v)
	if err != nil {
		return "", r.fail(col, err.Error())
	}
	return d, nil
}

// float parses a number column within [lo, hi].
func (r *csvRow) float(col string, lo, hi float64) (float64, error) {
	v, err := r.required(col)
	if err != nil {
		return 0, err
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return 0, r.fail(col, fmt.Sprintf("%q is not a number", v))
	}
	if math.IsNaN(f) || f < lo || f > hi {
		return 0, r.fail(col, fmt.Sprintf("%s is outside %g-%g", v, lo, hi))
	}
	return f, nil
}

// ParseAmount reads a money amount in yuan ("129.9", "¥1,299.00") as fen,
// without going through floating point.
func ParseAmount(s string) (int64, error) {
	v := s
	if strings.ContainsAny(v, "¥￥, ") {
		v = amountNoise.Replace(v)
	}
	neg := strings.HasPrefix(v, "-")
	v = strings.TrimPrefix(v, "-")
	whole, frac, _ := strings.Cut(v, ".")
	if whole == "" && frac == "" || len(frac) > 2 {
		return 0, fmt.Errorf("%q is not an amount in yuan with at most two decimals", s)
	}
	for len(frac) < 2 {
		frac += "0"
	}
	if whole == "" {
		whole = "0"
	}
	w, err1 := strconv.ParseUint(whole, 10, 40)
	f, err2 := strconv.ParseUint(frac, 10, 8)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("%q is not an amount in yuan with at most two decimals", s)
	}
	if neg {
		return 0, fmt.Errorf("%s must not be negative", s)
	}
	return int64(w)*100 + int64(f), nil
}

// amountNoise is what an amount may carry besides digits: currency signs
// and thousands separators.
var amountNoise = strings.NewReplacer("¥", "", "￥", "", ",", "", " ", "")

// rowParsers turn a validated row into its table's column values.
var rowParsers = map[Kind]func(*csvRow, *Shop) ([]any, error){
	KindScores:  parseScoreRow,
	KindReviews: parseReviewRow,
	KindOrders:  parseOrderRow,
}

func parseScoreRow(r *csvRow, shop *Shop) ([]any, error) {
	s := Score{ShopID: shop.ID}
	date, err := r.day("date")
	if err != nil {
		return nil, err
	}
	s.Date = date
	if shop.Platform == Taobao {
		if v := r.get("stage"); v != "" {
			return nil, r.fail("stage", fmt.Sprintf("%q: a stage is Douyin's; %s is a Taobao shop", v, shop.ID))
		}
		if s.Overall, err = r.optFloat("overall", 0, 100); err != nil {
			return nil, err
		}
		for _, d := range Dimensions {
			v, err := r.float(string(d), 1, 5)
			if err != nil {
				return nil, err
			}
			s.Set(d, v)
		}
		if err := parseIndicators(r, shop, &s); err != nil {
			return nil, err
		}
		return scoreValues(&s), nil
	}
	if err := parseDouyinScore(r, &s); err != nil {
		return nil, err
	}
	if err := parseIndicators(r, shop, &s); err != nil {
		return nil, err
	}
	return scoreValues(&s), nil
}

// Douyin's ranges: a 商家体验分 is 50-100; a dimension score 0-100.
const (
	douyinScoreMin = 50.0
	douyinScoreMax = 100.0
)

// parseDouyinScore reads a Douyin day: its stage as stated, else inferred
// from the score itself (never from dsrbot's orders), its overall and its
// dimensions, all three or none.
func parseDouyinScore(r *csvRow, s *Score) error {
	var err error
	if s.Stage, err = ParseStage(r.get("stage")); err != nil {
		return r.fail("stage", err.Error())
	}
	if s.Overall, err = r.optFloat("overall", douyinScoreMin, douyinScoreMax); err != nil {
		return err
	}
	present := 0
	for _, d := range Dimensions {
		v, err := r.optFloat(string(d), 0, 100)
		if err != nil {
			return err
		}
		if v != nil {
			s.Set(d, *v)
			present++
		}
	}
	if present > 0 && present < len(Dimensions) {
		for _, d := range Dimensions {
			if !s.Has(d) {
				return r.fail(string(d), "required with the other dimension scores (give all three, or none)")
			}
		}
	}
	if s.Stage == "" {
		s.Stage = inferStage(s.Overall, present > 0)
	}
	if s.Stage == StageFormal && s.Overall == nil {
		return r.fail("overall", "required for a formal-stage score; for a growth-stage day leave overall and the dimensions empty, or set stage to growth")
	}
	return nil
}

// inferStage says which stage a Douyin score without a stated stage is in.
// Only the absence of a formal score makes it growth: no overall at all, or
// exactly one of the flat growth values with no dimension scores. A number
// the platform published is never second-guessed.
func inferStage(overall *float64, hasDims bool) Stage {
	switch {
	case hasDims:
		return StageFormal
	case overall == nil, *overall == GrowthStageScore, *overall == GrowthPenaltyScore:
		return StageGrowth
	}
	return StageFormal
}

func parseReviewRow(r *csvRow, shop *Shop) ([]any, error) {
	// The buyer's text is kept without the phone numbers buyers put in it.
	rv := Review{ShopID: shop.ID, OrderID: r.get("order_id"), ProductID: r.get("product_id"), Product: r.get("product"), Content: maskPhones(r.get("content"))}
	var err error
	if rv.ReviewID, err = r.required("review_id"); err != nil {
		return nil, err
	}
	if err := parseRating(r, &rv); err != nil {
		return nil, err
	}
	if _, err := r.required("created_at"); err != nil {
		return nil, err
	}
	if rv.CreatedAt, err = r.time("created_at", shop.Location()); err != nil {
		return nil, err
	}
	if rv.Bad() {
		rv.Aspects = joinAspects(ClassifyWith(rv.Content, r.keywords[shop.ID]))
	}
	return reviewValues(&rv), nil
}

// parseRating reads a review's stars, or, where an export gives none, its
// grade (评价等级 差评 / 中评 / 好评): a bad review with unknown stars is
// still a bad review, counted and routed as one.
func parseRating(r *csvRow, rv *Review) error {
	rating := r.get("rating")
	if rating == "" {
		grade := r.get("grade")
		if grade == "" {
			return r.fail("rating", "required")
		}
		g, stars, ok := ParseGrade(grade)
		if !ok {
			return r.fail("grade", fmt.Sprintf("%q is not a grade: use 差评, 中评 or 好评 (bad, neutral, good)", grade))
		}
		rv.Grade, rv.Rating = g, stars
		return nil
	}
	var whole bool
	if rv.Rating, whole = parseStars(rating); !whole {
		return r.fail("rating", fmt.Sprintf("%q is not a whole number of stars from 1 to 5", rating))
	}
	return nil
}

func parseOrderRow(r *csvRow, shop *Shop) ([]any, error) {
	o := Order{ShopID: shop.ID, Product: r.get("product"), TrackingNo: r.get("tracking_no"), MainOrderID: r.get("main_order_id")}
	loc := shop.Location()
	var err error
	if o.OrderID, err = r.required("order_id"); err != nil {
		return nil, err
	}
	amount, err := r.required("amount")
	if err != nil {
		return nil, err
	}
	if o.AmountFen, err = ParseAmount(amount); err != nil {
		return nil, r.fail("amount", err.Error())
	}
	switch status := strings.ToLower(r.get("status")); status {
	case "", "paid", "open":
	case "cancelled", "canceled", "closed", "已关闭", "已取消":
		o.Cancelled = true
	default:
		return nil, r.fail("status", fmt.Sprintf("%q is not a status: leave it empty, or cancelled", status))
	}
	if _, err := r.required("paid_at"); err != nil {
		return nil, err
	}
	if o.PaidAt, err = r.time("paid_at", loc); err != nil {
		return nil, err
	}
	if o.Promise, err = ParsePromise(r.get("promise")); err != nil {
		return nil, r.fail("promise", err.Error())
	}
	given, err := r.time("promised_ship_by", loc)
	if err != nil {
		return nil, err
	}
	if o.Promise.NeedsShipBy() {
		if given.IsZero() {
			return nil, r.fail("promised_ship_by", fmt.Sprintf("required for a %s promise", o.Promise))
		}
		if given.Before(o.PaidAt) {
			return nil, r.fail("promised_ship_by", "is before paid_at")
		}
	}
	o.ShipBy = ShipBy(o.Promise, o.PaidAt, loc, given)
	for _, col := range []string{"shipped_at", "picked_up_at"} {
		t, err := r.time(col, loc)
		if err != nil {
			return nil, err
		}
		if t.IsZero() {
			continue
		}
		if t.Before(o.PaidAt) {
			return nil, r.fail(col, "is before paid_at")
		}
		if col == "shipped_at" {
			o.ShippedAt = &t
		} else {
			o.PickedUpAt = &t
		}
	}
	// A pickup is a shipment, even where the data has no ship click.
	if o.ShippedAt == nil {
		o.ShippedAt = o.PickedUpAt
	}
	return orderValues(&o), nil
}
