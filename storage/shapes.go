package storage

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Merchants' files are rarely the export as downloaded: they pass through
// Excel, which rewrites times in the computer's locale ("2026/9/22 0:54",
// "9/22/26 00:54", "2026年10月3日"). This file reads those shapes by hand,
// in one pass and without allocating, because a million-row import parses
// two or three times a row.

// acceptedTimes names the forms ParseTime reads, for its errors.
const acceptedTimes = "use YYYY-MM-DD HH:MM:SS, RFC 3339, YYYY/M/D H:MM[:SS], M/D/YY H:MM, YYYY年M月D日 H:MM[:SS], or a date alone"

// acceptedDays names the forms parseDay reads, for its errors.
const acceptedDays = "use YYYY-MM-DD, YYYY/M/D, M/D/YY or YYYY年M月D日"

// ParseTime reads a time as merchants' files hold it, in loc unless the
// text carries its own offset: the exports' "YYYY-MM-DD HH:MM:SS" (read
// first, by its shape: it is what a million-row file holds), RFC 3339, and
// what Excel writes when it saves the file again: "2026/9/22 0:54",
// "2026-9-22 00:54:12", US "9/22/26 0:54" or "9/22/2026 0:54",
// "2026年10月3日 9:12:33", seconds with a fraction (".000"), and a date
// alone (midnight in loc). A part out of range (month 13, hour 25,
// 2026-02-30) is refused with its reason rather than rolled over.
func ParseTime(s string, loc *time.Location) (time.Time, error) {
	c, ok := fastCivil(s)
	if !ok {
		c, ok = parseCivil(s)
	}
	if !ok {
		return time.Time{}, fmt.Errorf("%q is not a time (%s)", s, acceptedTimes)
	}
	if reason := c.problem(); reason != "" {
		return time.Time{}, fmt.Errorf("%q is not a time: %s", s, reason)
	}
	return c.in(loc), nil
}

// parseDay reads a day in any date shape ParseTime reads, as YYYY-MM-DD.
// A time of day after it is dropped: Excel adds " 0:00" to a date cell it
// formats as a date and time, and a platform's daily statistics carry one.
func parseDay(s string) (string, error) {
	if len(s) == 10 && s[4] == '-' && s[7] == '-' {
		// The canonical form needs no new string.
		y, ok1 := fixedDigits(s[0:4])
		m, ok2 := fixedDigits(s[5:7])
		d, ok3 := fixedDigits(s[8:10])
		if ok1 && ok2 && ok3 {
			c := civil{year: y, month: m, day: d}
			if reason := c.problem(); reason != "" {
				return "", fmt.Errorf("%q is not a date: %s", s, reason)
			}
			return s, nil
		}
	}
	c, ok := parseCivil(s)
	if !ok {
		return "", fmt.Errorf("%q is not a date (%s)", s, acceptedDays)
	}
	if reason := c.problem(); reason != "" {
		return "", fmt.Errorf("%q is not a date: %s", s, reason)
	}
	return fmt.Sprintf("%04d-%02d-%02d", c.year, c.month, c.day), nil
}

// civil is a date and time as written: wall-clock fields, and the offset
// from UTC when the text carried one.
type civil struct {
	year, month, day, hour, min, sec, nsec int
	// zoned says the text carried an offset (RFC 3339's Z or +08:00), in
	// seconds east of UTC; otherwise the time is in the shop's zone.
	zoned  bool
	offset int
}

// in is the instant of c: in loc, or at its own offset.
func (c *civil) in(loc *time.Location) time.Time {
	if c.zoned {
		// The instant in UTC, without allocating a zone per row.
		t := time.Date(c.year, time.Month(c.month), c.day, c.hour, c.min, c.sec, c.nsec, time.UTC)
		return t.Add(-time.Duration(c.offset) * time.Second)
	}
	return time.Date(c.year, time.Month(c.month), c.day, c.hour, c.min, c.sec, c.nsec, loc)
}

// problem says which part of c is out of range, or "" when it is a real time.
func (c *civil) problem() string {
	switch {
	case c.month < 1 || c.month > 12:
		return fmt.Sprintf("there is no month %d", c.month)
	case c.day < 1 || c.day > daysIn(c.year, c.month):
		return fmt.Sprintf("%04d-%02d has no day %d", c.year, c.month, c.day)
	case c.hour > 23:
		return fmt.Sprintf("hour %d is past 23", c.hour)
	case c.min > 59:
		return fmt.Sprintf("minute %d is past 59", c.min)
	case c.sec > 59:
		return fmt.Sprintf("second %d is past 59", c.sec)
	}
	return ""
}

func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// fastCivil reads exactly "YYYY-MM-DD HH:MM:SS", the exports' own form.
func fastCivil(s string) (civil, bool) {
	if len(s) != 19 || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' || s[16] != ':' {
		return civil{}, false
	}
	y, ok1 := fixedDigits(s[0:4])
	mo, ok2 := fixedDigits(s[5:7])
	d, ok3 := fixedDigits(s[8:10])
	h, ok4 := fixedDigits(s[11:13])
	mi, ok5 := fixedDigits(s[14:16])
	sec, ok6 := fixedDigits(s[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) {
		return civil{}, false
	}
	return civil{year: y, month: mo, day: d, hour: h, min: mi, sec: sec}, true
}

// fixedDigits reads s, which must be all ASCII digits.
func fixedDigits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, len(s) > 0
}

// scanner reads a time left to right.
type scanner struct {
	s string
	i int
}

// digits reads up to max digits, returning their value and how many there were.
func (p *scanner) digits(max int) (n, count int) {
	for count < max && p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
		n = n*10 + int(p.s[p.i]-'0')
		p.i++
		count++
	}
	return n, count
}

// number reads between min and max digits.
func (p *scanner) number(min, max int) (int, bool) {
	n, count := p.digits(max)
	return n, count >= min
}

// lit consumes x if the text continues with it.
func (p *scanner) lit(x string) bool {
	if strings.HasPrefix(p.s[p.i:], x) {
		p.i += len(x)
		return true
	}
	return false
}

func (p *scanner) done() bool { return p.i == len(p.s) }

// parseCivil reads the date shapes (YYYY-M-D, YYYY/M/D, YYYY年M月D日, US
// M/D/YY and M/D/YYYY), then optionally a time of day H:MM[:SS[.fff]]
// after a space or a T, then optionally an offset (Z, +08:00). Ranges are
// checked by the caller, so its error can say what is out of range.
func parseCivil(s string) (c civil, ok bool) {
	p := scanner{s: s}
	first, n := p.digits(4)
	cjk := false
	switch {
	case n == 4: // year first
		c.year = first
		switch {
		case p.lit("-"), p.lit("/"):
			sep := s[p.i-1 : p.i]
			if c.month, ok = p.number(1, 2); !ok || !p.lit(sep) {
				return c, false
			}
			if c.day, ok = p.number(1, 2); !ok {
				return c, false
			}
		case p.lit("年"):
			if c.month, ok = p.number(1, 2); !ok || !p.lit("月") {
				return c, false
			}
			if c.day, ok = p.number(1, 2); !ok || !p.lit("日") {
				return c, false
			}
			cjk = true
		default:
			return c, false
		}
	case n >= 1 && n <= 2 && p.lit("/"): // US month/day/year, Excel's m/d/yy
		c.month = first
		if c.day, ok = p.number(1, 2); !ok || !p.lit("/") {
			return c, false
		}
		y, count := p.digits(4)
		switch count {
		case 2:
			// Excel's rule for a two-digit year: 00-29 is 2000-2029.
			if y < 30 {
				y += 2000
			} else {
				y += 1900
			}
		case 4:
		default:
			return c, false
		}
		c.year = y
	default:
		return c, false
	}
	if p.done() {
		return c, true
	}

	// The time of day, after a T or spaces (none needed after 日).
	if !p.lit("T") {
		spaces := 0
		for p.lit(" ") {
			spaces++
		}
		if spaces == 0 && !cjk {
			return c, false
		}
	}
	if c.hour, ok = p.number(1, 2); !ok || !p.lit(":") {
		return c, false
	}
	if c.min, ok = p.number(2, 2); !ok {
		return c, false
	}
	if p.lit(":") {
		if c.sec, ok = p.number(2, 2); !ok {
			return c, false
		}
		if p.lit(".") || p.lit(",") {
			frac, count := p.digits(9)
			if count == 0 {
				return c, false
			}
			for i := count; i < 9; i++ {
				frac *= 10
			}
			c.nsec = frac
			// Digits past nanoseconds say nothing more.
			for p.i < len(s) && s[p.i] >= '0' && s[p.i] <= '9' {
				p.i++
			}
		}
	}
	if p.done() {
		return c, true
	}

	// An offset, as RFC 3339 writes it.
	if p.lit("Z") || p.lit("z") {
		c.zoned = true
		return c, p.done()
	}
	sign := 1
	switch {
	case p.lit("+"):
	case p.lit("-"):
		sign = -1
	default:
		return c, false
	}
	oh, ok1 := p.number(2, 2)
	p.lit(":")
	om, ok2 := p.number(2, 2)
	if !ok1 || !ok2 || oh > 23 || om > 59 || !p.done() {
		return c, false
	}
	c.zoned, c.offset = true, sign*(oh*3600+om*60)
	return c, true
}

// parseStars reads a product rating: a whole number of stars from 1 to 5,
// also as Excel writes a whole number back ("5.0").
func parseStars(s string) (int, bool) {
	whole, frac, _ := strings.Cut(s, ".")
	if strings.TrimRight(frac, "0") != "" {
		return 0, false
	}
	n, err := strconv.Atoi(whole)
	if err != nil || n < 1 || n > 5 {
		return 0, false
	}
	return n, true
}
