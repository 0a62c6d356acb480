package bot

import (
	"errors"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"

	"github.com/dsrbot/dsrbot/storage"
)

// Command is one parsed request, from a slash command or a mention: the
// grammar is shared so `/dsr assign R1 @a` and `@dsrbot assign R1 to @a` do
// the same thing.
type Command struct {
	Verb    verb
	Shop    string // the shop as named, if it is: an ID or (part of) a name, resolved by the bot
	Review  string // review ID as typed (without the "SHOP/" that may name its shop)
	User    string // a person: Slack user ID, or a name typed in the shell
	Outcome string // canonical outcome key
	Note    string
	Filter  string   // reviews: open, mine or all
	Spec    string   // schedule: a 5-field cron expression
	Aspect  string   // owner: an aspect key or "default"
	Users   []string // owner: the people (several for the default rota)
	Target  *float64 // recover: --target X (目标 X), nil when not said
	Days    int      // chart: the period, 30 or 90 days
}

type verb string

// The verbs of the grammar; commands (commands.go) defines each.
const (
	verbToday    verb = "today"
	verbReviews  verb = "reviews"
	verbLate     verb = "late"
	verbHelp     verb = "help"
	verbAssign   verb = "assign"
	verbDone     verb = "done"
	verbMine     verb = "mine"
	verbBind     verb = "bind"
	verbSchedule verb = "schedule"
	verbClaim    verb = "claim"
	verbReopen   verb = "reopen"
	verbStatus   verb = "status"
	verbOwner    verb = "owner"
	verbSettings verb = "settings"
	verbProducts verb = "products"
	verbRecover  verb = "recover"
	verbChart    verb = "chart"
	verbWhy      verb = "why"
)

// ownerAspect reads the aspect of `/dsr owner`: any name storage.ParseAspect
// reads (the same words `dsrbot keyword` takes, English or Chinese), or the
// default rota, which is the chat's own word and not an aspect.
func ownerAspect(w string) (string, bool) {
	if a, ok := storage.ParseAspect(w); ok {
		return string(a), true
	}
	switch strings.ToLower(w) {
	case "default", "默认", "其余":
		return "default", true
	}
	return "", false
}

// outcomeWords maps outcome keywords to their canonical key: the English
// and Chinese names, and the words a Chinese team types when it reports
// what it did ("已退款", "补发了", "送了优惠券"), which say the same.
var outcomeWords = map[string]string{
	"refund": "refund", "退款": "refund", "已退款": "refund", "退款了": "refund", "退了款": "refund",
	"已退": "refund", "退了": "refund", "仅退款": "refund", "退货退款": "refund", "全额退款": "refund",
	"resend": "resend", "补发": "resend", "已补发": "resend", "补发了": "resend", "重发": "resend",
	"已重发": "resend", "重发了": "resend", "补寄": "resend", "已补寄": "resend", "补寄了": "resend",
	"compensate": "compensate", "compensation": "compensate", "补偿": "compensate", "已补偿": "compensate",
	"补偿了": "compensate", "赔付": "compensate", "已赔付": "compensate", "赔付了": "compensate",
	"赔偿": "compensate", "已赔偿": "compensate", "赔偿了": "compensate", "小额打款": "compensate",
	"gift": "gift", "coupon": "gift", "赠品": "gift", "优惠券": "gift", "赠品/优惠券": "gift",
	"送了优惠券": "gift", "送优惠券": "gift", "发了优惠券": "gift", "已发优惠券": "gift", "送了券": "gift",
	"送券": "gift", "发券": "gift", "已发券": "gift", "送了赠品": "gift", "送赠品": "gift", "已送赠品": "gift",
	"explained": "explained", "已解释": "explained", "解释": "explained", "解释了": "explained",
	"已说明": "explained", "说明了": "explained", "已沟通": "explained", "沟通了": "explained",
	"no_action": "no_action", "none": "no_action", "无需处理": "no_action", "不用处理": "no_action",
	"不需要处理": "no_action", "无需跟进": "no_action", "不处理": "no_action", "不用管": "no_action",
}

// outcomeOf reads the outcome at the start of a word: the word itself, or
// (for Chinese, typed without a space before the note, "退款已回电") the
// longest outcome word it begins with, and how many bytes that takes.
func outcomeOf(word string) (key string, n int, ok bool) {
	if key, ok := outcomeWords[strings.ToLower(word)]; ok {
		return key, len(word), true
	}
	for w, k := range outcomeWords {
		if len(w) > n && isHan(firstRune(w)) && strings.HasPrefix(word, w) {
			key, n = k, len(w)
		}
	}
	return key, n, n > 0
}

// mentionPattern matches Slack's <@U123> and <@U123|name>, and @name as
// typed in the shell.
var mentionPattern = regexp.MustCompile(`^(?:<@([UW][A-Z0-9]+)(?:\|[^>]*)?>|@([^\s@<>]+))$`)

// parseUser reads a mention; ok is false when the word is not one.
func parseUser(word string) (string, bool) {
	m := mentionPattern.FindStringSubmatch(word)
	if m == nil {
		return "", false
	}
	if m[1] != "" {
		return m[1], true
	}
	return m[2], true
}

// fillers are words a person adds to a sentence that carry no meaning here.
var fillers = map[string]bool{"to": true, "给": true, "for": true, "as": true, "none": false}

// baAssign are the words that, in "把 R1980 给 @bo", make it an assignment.
var baAssign = map[string]bool{"给": true, "交给": true, "转给": true, "分给": true}

// Parse reads the text of a slash command (after "/dsr") or of a mention
// (with the bot's own mention removed).
//
// Chinese is read as it is typed: without spaces ("分配R1980给@bo", where
// the switch between Chinese and Latin script separates the words), with
// full-width spaces and punctuation ("，" "：" "、"), in the 把 order ("把
// R1980 分配给 @bo"), and with the outcome in everyday words ("已退款",
// "补发了"). A review may carry its shop ("dy-kids/R100"), and a shop is
// named by its ID or its name, which may take several words.
func Parse(text string) (Command, error) {
	toks := baOrder(tokenize(text))
	if len(toks) == 0 {
		return Command{Verb: verbHelp}, nil
	}
	v, ok := verbWords[strings.ToLower(toks[0].text)]
	args := toks[1:]
	if !ok && looksLikeReview(toks[0].text) && hasMention(args) {
		// "@dsrbot R123 @alice" is an assignment without the verb.
		v, args, ok = verbAssign, toks, true
	}
	if !ok {
		return Command{}, &parseError{key: "err.unknown", args: []any{said(toks[0].text)}}
	}
	c := Command{Verb: v}
	cmd := commandOf(v)
	err := cmd.parse(&c, args, text)
	if errors.Is(err, errUsage) {
		err = &parseError{key: "err.usage", args: []any{cmd.usage}, verb: v}
	}
	return c, err
}

// setReview sets the review a follow-up command names, and its shop when
// the review carries one ("dy-kids/R100") or trailing words name one. It
// reports false for a review it cannot be (an empty side of the slash, or
// a shop named both ways).
//
// Slack markup ("<https://…|…>") is never a shop and a review: it is left
// whole, to be answered as no such review.
func (c *Command) setReview(word, shop string) bool {
	if i := strings.IndexByte(word, '/'); i >= 0 && !strings.HasPrefix(word, "<") {
		if i == 0 || i == len(word)-1 || shop != "" {
			return false
		}
		shop, word = word[:i], word[i+1:]
	}
	c.Review, c.Shop = word, shop
	return true
}

// reviewPattern is what a word must look like to be taken for a review
// where no verb says so ("@dsrbot R123 @alice"): R and digits as the demo
// and the canonical CSV name them, the platform's long numeric IDs, and
// 抖店's ORDER-PRODUCT, each optionally after its shop ("dy-kids/R100").
// Words are already split at spaces and script changes, so the pattern
// cannot swallow a neighbouring word.
var reviewPattern = regexp.MustCompile(`^(?:[^/]+/)?(?:[Rr][0-9]+|[0-9]+(?:-[0-9]+)?)$`)

// looksLikeReview reports whether a word can be a review ID.
func looksLikeReview(w string) bool { return reviewPattern.MatchString(w) }

// hasMention reports whether any of the words is a person.
func hasMention(toks []cmdWord) bool {
	for _, t := range toks {
		if _, ok := parseUser(t.text); ok {
			return true
		}
	}
	return false
}

// withoutFillers drops the words that carry no meaning ("to", "给").
func withoutFillers(toks []cmdWord) []cmdWord {
	var out []cmdWord
	for _, t := range toks {
		if !fillers[strings.ToLower(t.text)] {
			out = append(out, t)
		}
	}
	return out
}

// joinWords is the words with a space between: a shop's name may have
// several ("潮衣馆 Trend Closet").
func joinWords(toks []cmdWord) string {
	words := make([]string, len(toks))
	for i, t := range toks {
		words[i] = t.text
	}
	return strings.Join(words, " ")
}

// noteFrom is the text as typed from the first of toks to the end: a
// note keeps its own punctuation ("已回电，买家同意"), only its runs of
// space become one.
func noteFrom(text string, toks []cmdWord) string {
	if len(toks) == 0 {
		return ""
	}
	return strings.Join(strings.Fields(text[toks[0].at:]), " ")
}

// baOrder puts a sentence in the 把 order ("把 R1980 分配给 @bo", "把 R1980
// 关闭 已退款") into the verb-first order the grammar reads: the verb
// after the review moves before it. Anything else is left as it is.
func baOrder(toks []cmdWord) []cmdWord {
	if len(toks) < 3 || toks[0].text != "把" {
		return toks
	}
	verbTok := toks[2]
	if baAssign[verbTok.text] {
		verbTok.text = string(verbAssign)
	} else if _, ok := verbWords[strings.ToLower(verbTok.text)]; !ok {
		return toks
	}
	return append([]cmdWord{verbTok, toks[1]}, toks[3:]...)
}

// cmdWord is a word of a command: its text as matched (full-width letters,
// digits and signs folded to ASCII: "＠bo" is "@bo"), and the byte offset
// where it starts in the text as typed, so a note is kept as it was typed.
type cmdWord struct {
	text string
	at   int
}

// separators split words besides spaces (full-width ones included): the
// punctuation a Chinese keyboard puts between the parts of a sentence,
// and the colon people put after a word ("done R1 refund: called back").
// Not the ASCII comma, which a cron field uses ("1,3,5").
const separators = "，：、；。:"

func isSeparator(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune(separators, r) }

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

// tokenize splits a command into words: at spaces and separators, and
// where Chinese is typed without spaces, at a switch between Chinese
// characters and anything else when one side is plainly a word of its own:
// a review ID or a mention on the other side ("认领R1980", "R1980给@bo"),
// a keyword of the grammar ("分配", "给", "把"), or an outcome that starts
// the rest ("R1980已退款买家满意"). Other mixes stay one word, so what a
// person typed is quoted back as typed ("长x长x" is no command).
//
// Three things are kept whole: a Slack mention or link ("<@U1|阿明>",
// even with a colon in it), a name after an at sign ("@张三"), and the two
// sides of a slash ("潮衣馆/R100", "赠品/优惠券").
func tokenize(text string) []cmdWord {
	var words []cmdWord
	var runs []run // the runs of the current stretch between separators
	emit := func(from, to int) {
		words = append(words, cmdWord{text: width.Fold.String(text[from:to]), at: from})
	}
	flush := func() {
		if len(runs) == 0 {
			return
		}
		from := runs[0].from
		for k := 1; k < len(runs); k++ {
			if splitBetween(text, runs[k-1], runs[k]) {
				emit(from, runs[k].from)
				from = runs[k].from
			}
		}
		emit(from, runs[len(runs)-1].to)
		runs = runs[:0]
	}
	add := func(from, to int, han bool) {
		if n := len(runs); n > 0 && runs[n-1].han == han {
			runs[n-1].to = to
			return
		}
		runs = append(runs, run{from: from, to: to, han: han})
	}
	atName := false // inside a name after an at sign: Chinese does not split it
	// Where the next '>' and the next space are, found once per stretch
	// rather than once per '<', so that text full of '<' stays linear.
	nextClose, nextSpace := -1, -1
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if r == '<' {
			if nextClose < i {
				nextClose = indexFrom(text, i, func(r rune) bool { return r == '>' })
			}
			if nextSpace < i {
				nextSpace = indexFrom(text, i, unicode.IsSpace)
			}
			if nextClose < len(text) && nextClose < nextSpace {
				add(i, nextClose+1, false)
				i = nextClose + 1
				continue
			}
		}
		if isSeparator(r) {
			flush()
			atName = false
			i += size
			continue
		}
		if (r == '@' || r == '＠') && (len(runs) == 0 || runs[len(runs)-1].han) {
			atName = true
		}
		add(i, i+size, isHan(r) && !atName)
		i += size
	}
	flush()
	return words
}

// run is a stretch of a command's text of one kind: Chinese characters,
// or anything else.
type run struct {
	from, to int
	han      bool
}

// splitBetween decides whether a word ends between two neighbouring runs,
// one Chinese and the other not (see tokenize).
func splitBetween(text string, a, b run) bool {
	if glue := "/／"; strings.ContainsRune(glue, lastRune(text[a.from:a.to])) || strings.ContainsRune(glue, firstRune(text[b.from:b.to])) {
		return false
	}
	han, other := text[a.from:a.to], text[b.from:b.to]
	if b.han {
		han, other = other, han
	}
	other = width.Fold.String(other)
	if _, isUser := parseUser(other); isUser || looksLikeReview(other) {
		return true
	}
	if keywords[han] {
		return true
	}
	if b.han {
		// An outcome at the start of the rest: "R1980已退款买家满意".
		if _, _, ok := outcomeOf(han); ok {
			return true
		}
	}
	return false
}

// keywords are the Chinese words of the grammar that stand on their own
// when typed against Latin letters or digits ("今天dy-fashion"). They are
// built with the verbs' keywords, by init in commands.go.
var keywords map[string]bool

// grammarKeywords builds keywords from the grammar's words.
func grammarKeywords() map[string]bool {
	m := map[string]bool{"把": true, "我的": true, "全部": true, "未处理": true}
	for _, words := range []map[string]bool{fillers, baAssign} {
		for w, ok := range words {
			m[w] = ok
		}
	}
	for w := range verbWords {
		m[w] = true
	}
	for w := range outcomeWords {
		m[w] = true
	}
	for _, w := range storage.AspectWords() {
		m[w] = true
	}
	m["默认"], m["其余"] = true, true // the default rota, as ownerAspect reads it
	for w := range m {
		if !isHan(firstRune(w)) {
			delete(m, w)
		}
	}
	return m
}

// indexFrom is the index of the first rune at or after from that f
// accepts, or len(s) when there is none.
func indexFrom(s string, from int, f func(rune) bool) int {
	if i := strings.IndexFunc(s[from:], f); i >= 0 {
		return from + i
	}
	return len(s)
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}
