package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/dsrbot/dsrbot/storage"
)

// command is one verb of the grammar, whole: the words that say it, its
// right form, its lines in help, how its arguments are read and how it is
// answered. A verb used to be spread over six places (the keyword map, the
// usage lines, Parse's switch, help's groups, Handle's switch and the
// catalogue), so a new verb or keyword could reach some of them and not
// others; now the grammar, help and Handle all read commands.
type command struct {
	verb verb
	// words are the keywords that say it, English then Chinese, as typed
	// in lower case; no word says two verbs (TestCommandTable).
	words []string
	// usage is the right form, shown when the verb is used wrongly; the
	// catalogue's usage.<verb> is its English side and adds the Chinese.
	usage string
	// help are its lines in help (catalogue keys), under the heading
	// group (a key of helpSections); none for a verb another's line
	// explains.
	help  []string
	group string
	// parse reads the words after the verb into c, whose Verb is set; it
	// returns errUsage when they do not fit the form, or a *parseError of
	// its own. It leaves in c what it read before it stopped: the review
	// of a refused command still lends its shop's language to the hint.
	parse func(c *Command, args []cmdWord, text string) error
	// handle answers the command about shop (nil: the request's shops).
	// A verb without one is help, which shows no shop's data: Handle
	// answers it before it checks the workspace or resolves a shop.
	handle func(b *Bot, ctx context.Context, shop *storage.Shop, c Command, req Request) (*doc, error)
	// shared answers into the channel for everyone, when asked in the
	// shop's own channel without naming a shop: the score card there is
	// the team's shared picture. Everything else answers only the asker.
	shared bool
}

// errUsage is a parse func's "these words do not fit the verb": Parse
// answers it with the verb's right form.
var errUsage = errors.New("usage")

// Help's headings, the groups of command.group.
const (
	groupLook   = "help.look"
	groupFollow = "help.follow"
	groupSetup  = "help.setup"
)

// helpSections are help's sections in the order it shows them, each with
// the lines that are no one verb's, shown after the verbs'.
var helpSections = []struct {
	heading string
	after   []string
}{
	{groupLook, nil},
	{groupFollow, []string{"help.outcomes"}},
	{groupSetup, nil},
}

// commands is the grammar, one definition per verb, in the order help
// lists them.
var commands = []command{
	{
		verb:   verbToday,
		words:  []string{"today", "score", "今天", "今日", "评分"},
		usage:  "/dsr today [SHOP]",
		help:   []string{"help.today"},
		group:  groupLook,
		parse:  parseShop,
		handle: handleToday,
		shared: true,
	},
	{
		verb:   verbReviews,
		words:  []string{"reviews", "review", "评价", "差评"},
		usage:  "/dsr reviews [open|mine|all] [SHOP]",
		help:   []string{"help.reviews"},
		group:  groupLook,
		parse:  parseReviews,
		handle: handleReviews,
	},
	{
		verb:  verbLate,
		words: []string{"late", "发货", "超时"},
		usage: "/dsr late [SHOP]",
		help:  []string{"help.late"},
		group: groupLook,
		parse: parseShop,
		handle: func(b *Bot, ctx context.Context, shop *storage.Shop, c Command, req Request) (*doc, error) {
			return b.late(ctx, shop, req)
		},
	},
	{
		verb:   verbWhy,
		words:  []string{"why", "原因", "为什么"},
		usage:  "/dsr why [SHOP]",
		help:   []string{"help.why"},
		group:  groupLook,
		parse:  parseShop,
		handle: (*Bot).whyHandler,
	},
	{
		verb:  verbProducts,
		words: []string{"products", "product", "商品"},
		usage: "/dsr products [SHOP]",
		help:  []string{"help.products"},
		group: groupLook,
		parse: parseShop,
		handle: func(b *Bot, ctx context.Context, shop *storage.Shop, c Command, req Request) (*doc, error) {
			return b.products(ctx, shop, req)
		},
	},
	{
		verb:   verbRecover,
		words:  []string{"recover", "恢复", "回升"},
		usage:  "/dsr recover [SHOP] [--target X]",
		help:   []string{"help.recover"},
		group:  groupLook,
		parse:  parseRecover,
		handle: handleRecover,
	},
	{
		verb:   verbChart,
		words:  []string{"chart", "trend", "趋势", "图表"},
		usage:  "/dsr chart [SHOP] [30d|90d]",
		help:   []string{"help.chart"},
		group:  groupLook,
		parse:  parseChart,
		handle: (*Bot).chart,
		shared: true,
	},
	{
		verb:   verbAssign,
		words:  []string{"assign", "分配", "分配给"},
		usage:  "/dsr assign REVIEW @user [SHOP]  ·  @dsrbot assign R123 to @alice  ·  @dsrbot 分配 R123 给 @alice",
		help:   []string{"help.assign"},
		group:  groupFollow,
		parse:  parseAssign,
		handle: (*Bot).assign,
	},
	{
		verb:   verbDone,
		words:  []string{"done", "close", "完成", "关闭"},
		usage:  "/dsr done REVIEW OUTCOME [note]  ·  @dsrbot done R123 refund called back  ·  @dsrbot 完成 R123 退款",
		help:   []string{"help.done"},
		group:  groupFollow,
		parse:  parseDone,
		handle: (*Bot).done,
	},
	{
		verb:  verbClaim,
		words: []string{"claim", "认领"},
		usage: "/dsr claim REVIEW [SHOP]  ·  @dsrbot claim R123  ·  @dsrbot 认领 R123",
		// One line of help says claim, reopen and status.
		help:  []string{"help.claim"},
		group: groupFollow,
		parse: parseReviewShop,
		handle: func(b *Bot, ctx context.Context, shop *storage.Shop, c Command, req Request) (*doc, error) {
			c.User = req.User // whoever says it takes it
			return b.assign(ctx, shop, c, req)
		},
	},
	{
		verb:   verbReopen,
		words:  []string{"reopen", "重开", "重新打开"},
		usage:  "/dsr reopen REVIEW [note]  ·  @dsrbot 重开 R123",
		group:  groupFollow,
		parse:  parseReopen,
		handle: (*Bot).reopen,
	},
	{
		verb:   verbStatus,
		words:  []string{"status", "状态", "查看"},
		usage:  "/dsr status REVIEW [SHOP]  ·  @dsrbot 状态 R123",
		group:  groupFollow,
		parse:  parseReviewShop,
		handle: (*Bot).status,
	},
	{
		// mine is `reviews mine` said short: Parse makes it that.
		verb:   verbMine,
		words:  []string{"mine", "我的"},
		usage:  "/dsr reviews mine  ·  @dsrbot mine  ·  @dsrbot 我的",
		help:   []string{"help.mine"},
		group:  groupFollow,
		parse:  parseMine,
		handle: handleReviews,
	},
	{
		verb:  verbBind,
		words: []string{"bind", "绑定"},
		usage: "/dsr bind SHOP",
		help:  []string{"help.bind"},
		group: groupSetup,
		parse: func(c *Command, args []cmdWord, text string) error {
			if len(args) == 0 {
				return errUsage
			}
			return parseShop(c, args, text)
		},
		handle: func(b *Bot, ctx context.Context, shop *storage.Shop, c Command, req Request) (*doc, error) {
			return b.bind(ctx, shop, req)
		},
	},
	{
		verb:   verbOwner,
		words:  []string{"owner", "owners", "负责人"},
		usage:  "/dsr owner ASPECT @user [SHOP]  ·  /dsr owner default @a @b  ·  /dsr owner [SHOP] (list); aspects: size material style quality packaging logistics service description",
		help:   []string{"help.owner"},
		group:  groupSetup,
		parse:  parseOwner,
		handle: (*Bot).owner,
	},
	{
		verb:  verbSchedule,
		words: []string{"schedule", "定时"},
		usage: "/dsr schedule CRON  (5 fields in the shop's zone, such as: /dsr schedule 0 9 * * *)",
		help:  []string{"help.schedule"},
		group: groupSetup,
		parse: func(c *Command, args []cmdWord, text string) error {
			if len(args) != 5 {
				return errUsage
			}
			c.Spec = joinWords(args)
			return nil
		},
		handle: func(b *Bot, ctx context.Context, shop *storage.Shop, c Command, req Request) (*doc, error) {
			return b.schedule(ctx, shop, c.Spec, req)
		},
	},
	{
		verb:  verbSettings,
		words: []string{"settings", "设置"},
		usage: "/dsr settings [SHOP]",
		help:  []string{"help.settings"},
		group: groupSetup,
		parse: parseShop,
		handle: func(b *Bot, ctx context.Context, shop *storage.Shop, c Command, req Request) (*doc, error) {
			return b.settings(ctx, shop, req)
		},
	},
	{
		// help has no handler: Handle answers it (command.handle says why).
		verb:  verbHelp,
		words: []string{"help", "帮助", "?", "？"},
		usage: "/dsr help",
		parse: func(c *Command, args []cmdWord, text string) error { return nil },
	},
}

// commandOf is the definition of a verb; one Parse never makes is help,
// which is what Handle answered such a verb with before the table.
func commandOf(v verb) *command {
	if c, ok := byVerb[v]; ok {
		return c
	}
	return byVerb[verbHelp]
}

// The views of commands that the grammar and help read: built once, and
// checked as they are built, so a table that names a verb twice or gives
// two verbs one word does not start. They are built by init rather than
// by their declarations because the table holds the handlers, and a
// handler's refusal reads usage (schedule's bad spec, through usageIn):
// Go takes that for an initialization cycle.
var (
	byVerb     = map[verb]*command{}
	verbWords  = map[string]verb{} // every keyword, English and Chinese, to its verb
	usage      = map[verb]string{} // the one-line form of each verb
	helpGroups []struct {
		heading string
		keys    []string
	}
)

func init() {
	for i := range commands {
		c := &commands[i]
		if _, twice := byVerb[c.verb]; twice {
			panic(fmt.Sprintf("bot: verb %s is defined twice", c.verb))
		}
		byVerb[c.verb] = c
		usage[c.verb] = c.usage
		for _, w := range c.words {
			if other, taken := verbWords[w]; taken || w != strings.ToLower(w) {
				panic(fmt.Sprintf("bot: keyword %q of %s is %s's or not lower case", w, c.verb, other))
			}
			verbWords[w] = c.verb
		}
	}
	for _, s := range helpSections {
		var keys []string
		for _, c := range commands {
			if c.group == s.heading {
				keys = append(keys, c.help...)
			}
		}
		helpGroups = append(helpGroups, struct {
			heading string
			keys    []string
		}{s.heading, append(keys, s.after...)})
	}
	keywords = grammarKeywords()
}

// handleToday is the shop's score card, or one line per shop outside a
// shop's channel.
func handleToday(b *Bot, ctx context.Context, shop *storage.Shop, c Command, req Request) (*doc, error) {
	if shop != nil {
		return b.today(ctx, shop)
	}
	return b.allShops(ctx, req)
}

// handleReviews is a list of bad reviews, by the filter parsed.
func handleReviews(b *Bot, ctx context.Context, shop *storage.Shop, c Command, req Request) (*doc, error) {
	return b.reviews(ctx, shop, c.Filter, req)
}

// parseShop reads the arguments of a verb that takes at most a shop: the
// words left, which may be several ("潮衣馆 Trend Closet").
func parseShop(c *Command, args []cmdWord, _ string) error {
	c.Shop = joinWords(args)
	return nil
}

// reviewFilters are the words of reviews' filter; any other word names
// the shop.
var reviewFilters = map[string]string{"open": "open", "mine": "mine", "all": "all", "我的": "mine", "全部": "all", "未处理": "open"}

// parseReviews reads `reviews [open|mine|all] [SHOP]`, the filter
// anywhere among the shop's words; open when none is said.
func parseReviews(c *Command, args []cmdWord, _ string) error {
	c.Filter = "open"
	var shop []cmdWord
	for _, a := range args {
		if f, ok := reviewFilters[strings.ToLower(a.text)]; ok {
			c.Filter = f
			continue
		}
		shop = append(shop, a)
	}
	c.Shop = joinWords(shop)
	return nil
}

// parseMine reads `mine [SHOP]`, which is `reviews mine [SHOP]`.
func parseMine(c *Command, args []cmdWord, _ string) error {
	c.Verb, c.Filter = verbReviews, "mine"
	c.Shop = joinWords(args)
	return nil
}

// parseReviewShop reads REVIEW [SHOP] (claim, status): the shop may
// follow the review.
func parseReviewShop(c *Command, args []cmdWord, _ string) error {
	rest := withoutFillers(args)
	if len(rest) == 0 || !c.setReview(rest[0].text, joinWords(rest[1:])) {
		return errUsage
	}
	return nil
}

// parseReopen reads `reopen REVIEW [note]`: a note follows the review,
// so the shop can only ride on it.
func parseReopen(c *Command, args []cmdWord, text string) error {
	if len(args) < 1 || !c.setReview(args[0].text, "") {
		return errUsage
	}
	c.Note = noteFrom(text, args[1:])
	return nil
}

// parseOwner reads `owner [ASPECT [@user...]] [SHOP]`: mentions are
// people, words that are neither an aspect nor a mention name the shop.
func parseOwner(c *Command, args []cmdWord, _ string) error {
	var shop []cmdWord
	for i, a := range args {
		if u, isUser := parseUser(a.text); isUser {
			if c.Aspect == "" {
				return errUsage
			}
			c.Users = append(c.Users, u)
			continue
		}
		if fillers[strings.ToLower(a.text)] {
			continue
		}
		if aspect, ok := ownerAspect(a.text); ok && i == 0 {
			c.Aspect = aspect
			continue
		}
		shop = append(shop, a)
	}
	c.Shop = joinWords(shop)
	if len(c.Users) > 1 && c.Aspect != "default" {
		return errUsage
	}
	return nil
}

// parseAssign reads `assign REVIEW @user [SHOP]`, in any order but the
// review first of the words that are not the person: the mention is known
// by its shape, so the words left over can only name the shop.
func parseAssign(c *Command, args []cmdWord, _ string) error {
	var rest []cmdWord
	for _, a := range withoutFillers(args) {
		if u, isUser := parseUser(a.text); isUser {
			if c.User != "" {
				return errUsage
			}
			c.User = u
			continue
		}
		rest = append(rest, a)
	}
	if c.User == "" || len(rest) == 0 || !c.setReview(rest[0].text, joinWords(rest[1:])) {
		return errUsage
	}
	return nil
}

// parseDone reads `done REVIEW OUTCOME [note]`: the note is everything
// after the outcome, as typed, so the shop can only ride on the review.
func parseDone(c *Command, args []cmdWord, text string) error {
	if len(args) < 2 || !c.setReview(args[0].text, "") {
		return errUsage
	}
	outcome, n, known := outcomeOf(args[1].text)
	if !known {
		return &parseError{key: "err.outcome", args: []any{said(args[1].text)}, verb: verbDone}
	}
	c.Outcome = outcome
	if n < len(args[1].text) {
		// "退款已回电": the note starts inside the word.
		c.Note = noteFrom(text, append([]cmdWord{{text: args[1].text[n:], at: args[1].at + n}}, args[2:]...))
	} else {
		c.Note = noteFrom(text, args[2:])
	}
	return nil
}
