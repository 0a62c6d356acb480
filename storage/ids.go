package storage

import "strings"

// Platform IDs are 16 to 19 digits. Excel opens them as numbers, which keep
// 15 significant digits: it shows 6.91793E+18, and writes back either that
// or the first 15 digits padded with zeros. Either way the ID is gone and
// two orders can become one, so a file with such IDs is refused as a whole.

// idFields are the fields that hold platform IDs.
var idFields = [...]string{"order_id", "main_order_id", "review_id", "product_id"}

// idShape is what an ID cell looks like.
type idShape int

const (
	idText idShape = iota
	// idFloat went through a floating point number: 6.91793E+18,
	// 6,91793E+18, 6917930123456789000.0. Its digits are lost.
	idFloat
	// idZeroFilled is all digits, 16 or more, zeros past the 15th: what
	// Excel writes with a "0" number format, and also, rarely, a real ID.
	idZeroFilled
)

// shapeOfID tells an ID that went through Excel from one that did not.
// It is the one check every ID field gets.
func shapeOfID(v string) idShape {
	digits := 0
	for digits < len(v) && v[digits] >= '0' && v[digits] <= '9' {
		digits++
	}
	if digits == len(v) {
		if digits >= 16 && strings.TrimRight(v[15:], "0") == "" {
			return idZeroFilled
		}
		return idText
	}
	if digits == 0 {
		return idText
	}
	// A number in float notation: digits, a decimal point or comma and
	// digits, an exponent; a decimal point alone is enough, an exponent
	// is needed after a comma (which may be a thousands separator).
	rest := v[digits:]
	point := false
	if rest[0] == '.' || rest[0] == ',' {
		point = rest[0] == '.'
		n := countDigits(rest[1:])
		if n == 0 {
			return idText
		}
		rest = rest[1+n:]
	}
	if rest == "" {
		if point {
			return idFloat
		}
		return idText
	}
	if rest[0] != 'e' && rest[0] != 'E' {
		return idText
	}
	rest = rest[1:]
	if rest != "" && (rest[0] == '+' || rest[0] == '-') {
		rest = rest[1:]
	}
	if n := countDigits(rest); n > 0 && n == len(rest) {
		return idFloat
	}
	return idText
}

func countDigits(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

// lostDigits is the reason an ID is refused, in the shop's language.
func lostDigits(v, lang string) string {
	if lang == LangChinese {
		return v + " 在 Excel 中丢失了位数；请重新导出，并以文本格式打开"
	}
	return v + " lost its digits in Excel; export again and open it as text"
}

// idGuard checks the ID fields of each row of a file before a format's
// convert derives fields from them (so an error names the export's own
// column). An ID in float notation is refused at once. A zero-filled ID is
// refused only when a second row carries the same row key: that is Excel
// merging two orders into one, where one such ID alone may be real. Only
// zero-filled keys are remembered, so memory stays flat.
type idGuard struct {
	kind Kind
	// at is the record position of each of idFields, -1 when absent.
	at   [len(idFields)]int
	seen map[string]struct{}
}

func newIDGuard(kind Kind, index map[string]int) *idGuard {
	g := &idGuard{kind: kind}
	for i, f := range idFields {
		g.at[i] = -1
		if j, ok := index[f]; ok {
			g.at[i] = j
		}
	}
	return g
}

// check returns the field and value of a lost ID in the row, or "" when
// its IDs are whole.
func (g *idGuard) check(row *csvRow) (field, value string) {
	zeroFilled := false
	for i, j := range g.at {
		if j < 0 || j >= len(row.record) || row.record[j] == "" {
			continue
		}
		switch shapeOfID(row.record[j]) {
		case idFloat:
			return idFields[i], row.record[j]
		case idZeroFilled:
			zeroFilled = true
		}
	}
	if !zeroFilled {
		return "", ""
	}
	// The fields that name the row: an order by its ID; a review by its
	// ID, or, in exports without one, by the order and product it builds
	// its ID from. Other ID fields repeat by nature (the sub-orders of one
	// main order, the reviews of one product), so a repeat there proves
	// nothing.
	var key []string
	switch {
	case g.kind == KindOrders:
		key = orderKey[:]
	case g.kind == KindReviews && row.get("review_id") != "":
		key = reviewKey[:]
	case g.kind == KindReviews:
		key = pairKey[:]
	default:
		return "", ""
	}
	for _, f := range key {
		if v := row.get(f); shapeOfID(v) == idZeroFilled {
			field, value = f, v
			break
		}
	}
	if field == "" {
		return "", ""
	}
	var b strings.Builder
	for _, f := range key {
		b.WriteString(f)
		b.WriteByte(0)
		b.WriteString(row.get(f))
		b.WriteByte(0)
	}
	k := b.String()
	if _, dup := g.seen[k]; dup {
		return field, value
	}
	if g.seen == nil {
		g.seen = make(map[string]struct{})
	}
	g.seen[k] = struct{}{}
	return "", ""
}

var (
	orderKey  = [...]string{"order_id"}
	reviewKey = [...]string{"review_id"}
	pairKey   = [...]string{"order_id", "product_id"}
)
