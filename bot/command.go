package bot

import (
	"regexp"
	"strings"
)

// Command is one parsed request, from a slash command or a mention: the
// grammar is shared so `/dsr assign R1 @a` and `@dsrbot assign R1 to @a` do
// the same thing.
type Command struct {
	Verb    verb
	Shop    string // explicit shop ID, if given
	Review  string // review ID
	User    string // a person: Slack user ID, or a name typed in the shell
	Outcome string // canonical outcome key
	Note    string
	Filter  string   // reviews: open, mine or all
	Spec    string   // schedule: a 5-field cron expression
	Aspect  string   // owner: an aspect key or "default"
	Users   []string // owner: the people (several for the default rota)
}

type verb string

// The verbs of the grammar.
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
)

// verbWords maps every keyword, English and Chinese, to its verb.
var verbWords = map[string]verb{
	"today": verbToday, "今天": verbToday, "今日": verbToday, "score": verbToday, "评分": verbToday,
	"reviews": verbReviews, "review": verbReviews, "评价": verbReviews, "差评": verbReviews,
	"late": verbLate, "发货": verbLate, "超时": verbLate,
	"help": verbHelp, "帮助": verbHelp, "?": verbHelp, "？": verbHelp,
	"assign": verbAssign, "分配": verbAssign,
	"done": verbDone, "完成": verbDone, "close": verbDone,
	"mine": verbMine, "我的": verbMine,
	"bind": verbBind, "绑定": verbBind,
	"schedule": verbSchedule, "定时": verbSchedule,
	"claim": verbClaim, "认领": verbClaim,
	"reopen": verbReopen, "重开": verbReopen, "重新打开": verbReopen,
	"status": verbStatus, "状态": verbStatus, "查看": verbStatus,
	"owner": verbOwner, "owners": verbOwner, "负责人": verbOwner,
	"settings": verbSettings, "设置": verbSettings,
}

// aspectWords maps aspect keywords, English and Chinese, to aspect keys.
var aspectWords = map[string]string{
	"size": "size", "尺码": "size", "material": "material", "材质": "material", "面料": "material",
	"style": "style", "款式": "style", "quality": "quality", "质量": "quality",
	"packaging": "packaging", "包装": "packaging", "logistics": "logistics", "物流": "logistics", "发货": "logistics",
	"service": "service", "客服": "service", "服务": "service", "description": "description", "描述": "description",
	"other": "other", "其他": "other", "default": "default", "默认": "default", "其余": "default",
}

// usage is the one-line form of each verb, shown when it is used wrongly.
var usage = map[verb]string{
	verbToday:    "/dsr today [SHOP]",
	verbReviews:  "/dsr reviews [open|mine|all] [SHOP]",
	verbLate:     "/dsr late [SHOP]",
	verbHelp:     "/dsr help",
	verbAssign:   "/dsr assign REVIEW @user  ·  @dsrbot assign R123 to @alice  ·  @dsrbot 分配 R123 给 @alice",
	verbDone:     "/dsr done REVIEW OUTCOME [note]  ·  @dsrbot done R123 refund called back  ·  @dsrbot 完成 R123 退款",
	verbMine:     "/dsr reviews mine  ·  @dsrbot mine  ·  @dsrbot 我的",
	verbBind:     "/dsr bind SHOP",
	verbSchedule: "/dsr schedule CRON  (5 fields in the shop's zone, such as: /dsr schedule 0 9 * * *)",
	verbClaim:    "/dsr claim REVIEW  ·  @dsrbot claim R123  ·  @dsrbot 认领 R123",
	verbReopen:   "/dsr reopen REVIEW [note]  ·  @dsrbot 重开 R123",
	verbStatus:   "/dsr status REVIEW  ·  @dsrbot 状态 R123",
	verbOwner:    "/dsr owner ASPECT @user [SHOP]  ·  /dsr owner default @a @b  ·  /dsr owner [SHOP] (list); aspects: size material style quality packaging logistics service description",
	verbSettings: "/dsr settings [SHOP]",
}

// outcomeWords maps outcome keywords to their canonical key.
var outcomeWords = map[string]string{
	"refund": "refund", "退款": "refund",
	"resend": "resend", "补发": "resend",
	"compensate": "compensate", "compensation": "compensate", "补偿": "compensate",
	"gift": "gift", "coupon": "gift", "赠品": "gift", "优惠券": "gift", "赠品/优惠券": "gift",
	"explained": "explained", "已解释": "explained", "解释": "explained",
	"no_action": "no_action", "none": "no_action", "无需处理": "no_action",
}

// parseError is a command that does not parse; its text is a catalogue key
// and arguments, so the reply is a sentence in the shop's language, plus the
// right form of the command when the verb is known.
type parseError struct {
	key  string
	args []any
	verb verb
}

func (e *parseError) Error() string { return en.t(e.key, e.args...) }

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

// Parse reads the text of a slash command (after "/dsr") or of a mention
// (with the bot's own mention removed).
func Parse(text string) (Command, error) {
	words := strings.Fields(normalise(text))
	if len(words) == 0 {
		return Command{Verb: verbHelp}, nil
	}
	first := strings.ToLower(words[0])
	v, ok := verbWords[first]
	args := words[1:]
	if !ok {
		// "@dsrbot R123 @alice" is an assignment without the verb.
		if len(words) == 2 && looksLikeReview(words[0]) {
			if _, isUser := parseUser(words[1]); isUser {
				v, args = verbAssign, words
				ok = true
			}
		}
	}
	if !ok {
		return Command{}, &parseError{key: "err.unknown", args: []any{said(words[0])}}
	}
	c := Command{Verb: v}
	bad := &parseError{key: "err.usage", args: []any{usage[v]}, verb: v}
	switch v {
	case verbToday, verbLate, verbBind, verbSettings:
		if len(args) > 1 || (v == verbBind && len(args) != 1) {
			return c, bad
		}
		if len(args) == 1 {
			c.Shop = args[0]
		}
	case verbReviews:
		c.Filter = "open"
		for _, a := range args {
			switch f := strings.ToLower(a); f {
			case "open", "mine", "all", "我的", "全部", "未处理":
				c.Filter = map[string]string{"我的": "mine", "全部": "all", "未处理": "open"}[f]
				if c.Filter == "" {
					c.Filter = f
				}
			default:
				if c.Shop != "" {
					return c, bad
				}
				c.Shop = a
			}
		}
	case verbMine:
		if len(args) > 1 {
			return c, bad
		}
		c.Verb, c.Filter = verbReviews, "mine"
		if len(args) == 1 {
			c.Shop = args[0]
		}
	case verbHelp:
	case verbClaim, verbStatus:
		if len(args) != 1 {
			return c, bad
		}
		c.Review = args[0]
	case verbReopen:
		if len(args) < 1 {
			return c, bad
		}
		c.Review, c.Note = args[0], strings.Join(args[1:], " ")
	case verbOwner:
		// owner [ASPECT [@user...]] [SHOP]: mentions are people, a word
		// that is neither an aspect nor a mention names the shop.
		for i, a := range args {
			if u, isUser := parseUser(a); isUser {
				if c.Aspect == "" {
					return c, bad
				}
				c.Users = append(c.Users, u)
				continue
			}
			if fillers[strings.ToLower(a)] {
				continue
			}
			if aspect, ok := aspectWords[strings.ToLower(a)]; ok && i == 0 {
				c.Aspect = aspect
				continue
			}
			if c.Shop != "" {
				return c, bad
			}
			c.Shop = a
		}
		if len(c.Users) > 1 && c.Aspect != "default" {
			return c, bad
		}
	case verbSchedule:
		if len(args) != 5 {
			return c, bad
		}
		c.Spec = strings.Join(args, " ")
	case verbAssign:
		var rest []string
		for _, a := range args {
			if !fillers[strings.ToLower(a)] {
				rest = append(rest, a)
			}
		}
		if len(rest) != 2 {
			return c, bad
		}
		user, isUser := parseUser(rest[1])
		if !isUser {
			return c, bad
		}
		c.Review, c.User = rest[0], user
	case verbDone:
		if len(args) < 2 {
			return c, bad
		}
		c.Review = args[0]
		outcome, known := outcomeWords[strings.ToLower(args[1])]
		if !known {
			return c, &parseError{key: "err.outcome", args: []any{said(args[1])}, verb: v}
		}
		c.Outcome = outcome
		c.Note = strings.Join(args[2:], " ")
	}
	return c, nil
}

// looksLikeReview reports whether a word can be a review ID (R123, or the
// platform's long numeric IDs).
func looksLikeReview(w string) bool {
	if len(w) < 2 {
		return false
	}
	for _, r := range w[1:] {
		if r < '0' || r > '9' {
			return false
		}
	}
	return (w[0] == 'R' || w[0] == 'r') || (w[0] >= '0' && w[0] <= '9')
}

// normalise turns full-width spaces and punctuation that Chinese keyboards
// type into their ASCII forms, so "分配　R1　给　@a" parses.
func normalise(s string) string {
	return strings.NewReplacer("\u3000", " ", "＠", "@", "，", " ", "：", " ").Replace(s)
}
