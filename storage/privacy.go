package storage

import (
	"regexp"
	"unicode/utf8"
)

// Personal data. The platforms' exports carry the buyer's name, nickname,
// phone number and address (收件人, 收件人手机号, 详细地址, 买家昵称,
// 买家留言 ...). None of it is needed to tell a team about its scores,
// reviews and late orders, so none of it is kept: an export's columns are
// mapped by name (formats.go) and every column not mapped is dropped as it
// is read, which the export tests assert over every column of every table.
//
// The free text that is kept, a review's content and its 追评, is written
// by the buyer, who sometimes puts a phone number in it ("联系我
// 138 1234 5678"). The team never needs the number (the platform's backend
// reaches the buyer from the order), and it would travel on into Slack, so
// it is replaced before the row is stored.

// PhoneMask is what a mobile number in a buyer's text becomes. It is
// plain text with no mrkdwn meaning, so it shows as written in Slack.
const PhoneMask = "[手机号]"

// mobileNumber is a mainland mobile number as buyers type it: 11 digits
// starting 13-19, optionally after +86 or 86, optionally grouped 3-4-4 with
// spaces or hyphens, in ASCII or full-width digits. Whether it stands alone
// (not inside a longer number, such as an order ID) is checked by
// maskPhones, since RE2 has no look-around.
var mobileNumber = regexp.MustCompile(`(?:[+＋]?(?:86|８６)[ \-－]?)?[1１][3-9３-９][0-9０-９][ \-－]?[0-9０-９]{4}[ \-－]?[0-9０-９]{4}`)

// maskPhones replaces every mobile number in s that is not part of a longer
// run of digits with PhoneMask.
func maskPhones(s string) string {
	if len(s) < 11 {
		return s
	}
	matches := mobileNumber.FindAllStringIndex(s, -1)
	if matches == nil {
		return s
	}
	var out []byte
	last := 0
	for _, m := range matches {
		if isDigit(lastRune(s[:m[0]])) || isDigit(firstRune(s[m[1]:])) {
			continue
		}
		out = append(out, s[last:m[0]]...)
		out = append(out, PhoneMask...)
		last = m[1]
	}
	if out == nil {
		return s
	}
	return string(append(out, s[last:]...))
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' || r >= '０' && r <= '９' }

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}
