package bot

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"log/slog"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/dsrbot/dsrbot/storage"
)

// hostile are strings that Slack would read as markup if they reached it
// unescaped: pings of a channel, of everyone, of a user or a user group, a
// channel link, a disguised link, a date, and entities that must stay text.
var hostile = []string{
	"<!channel>", "<!here>", "<!everyone>", "<@U999HACK>", "<@W999HACK|boss>", "<https://evil.example|点我退款>",
	"<#C123>", "<!subteam^S0HACK>", "<!date^1392734382^{date}|x>", "&lt;!channel&gt;", "a & b", "<mailto:x@evil.example|客服>",
}

// hostileText is every hostile string in one, as a field of a row would
// carry them, with words around them.
var hostileText = "差评 " + strings.Join(hostile, " 尺码 ") + " 退款"

// Real Slack users of the tests: the only ones the bot may mention.
const (
	escAlice = "U0ALICE01"
	escBo    = "U0BOB0001"
)

// mentionMarkup is a user mention as the bot composes it.
var mentionMarkup = regexp.MustCompile(`<@([UW][A-Z0-9]+)>`)

// entity is an escaped character, the only use of & in text sent to Slack.
var entity = regexp.MustCompile(`^&(amp|lt|gt);`)

// markupProblem says what in s, a string sent to Slack, Slack could read as
// markup other than a mention of an allowed user: any < or > left after
// those mentions are taken out (<!channel>, <#C…>, <http…|…>, <@U…> of
// anyone else, a bare <), or an & that does not start an entity (which
// would let "&lt;" typed by a buyer reach Slack as an escape of its own).
// It returns "" when there is none.
func markupProblem(s string, allowed map[string]bool) string {
	rest := mentionMarkup.ReplaceAllStringFunc(s, func(m string) string {
		if allowed[mentionMarkup.FindStringSubmatch(m)[1]] {
			return ""
		}
		return m
	})
	if i := strings.IndexAny(rest, "<>"); i >= 0 {
		return fmt.Sprintf("markup %q", around(rest, i))
	}
	for i := strings.IndexByte(rest, '&'); i >= 0; i = strings.IndexByte(rest, '&') {
		if !entity.MatchString(rest[i:]) {
			return fmt.Sprintf("a bare & in %q", around(rest, i))
		}
		rest = rest[i+1:]
	}
	return ""
}

// around is the text near byte i of s, for an error.
func around(s string, i int) string {
	from, to := max(0, i-30), min(len(s), i+40)
	return strings.ToValidUTF8(s[from:to], "�")
}

// blockTexts is every text field of the blocks as Slack receives them (the
// text of every text object: sections, contexts, headers, buttons,
// options, placeholders), found by walking their JSON.
func blockTexts(t testing.TB, m Message) []string {
	t.Helper()
	raw, err := json.Marshal(m.Blocks)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	var out []string
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case []any:
			for _, x := range v {
				walk(x)
			}
		case map[string]any:
			for k, x := range v {
				if s, ok := x.(string); ok && k == "text" {
					out = append(out, s)
				}
				walk(x)
			}
		}
	}
	walk(v)
	return out
}

// checkSlackSafe asserts the property of every message the bot makes: in
// what Slack receives (the text and every text field of the blocks) the
// only markup is a mention of an allowed user, and the plain form a person
// reads is the text unescaped, so the two say the same.
func checkSlackSafe(t testing.TB, name string, m Message, allowed map[string]bool) {
	t.Helper()
	if p := markupProblem(m.Text, allowed); p != "" {
		t.Errorf("%s: text has %s:\n%s", name, p, m.Text)
	}
	for _, s := range blockTexts(t, m) {
		if p := markupProblem(s, allowed); p != "" {
			t.Errorf("%s: a block has %s:\n%s", name, p, s)
		}
	}
	if got := slackUnescape(m.Text); got != m.Plain {
		t.Errorf("%s: the plain form is not the text unescaped:\n--- text unescaped\n%s\n--- plain\n%s", name, got, m.Plain)
	}
}

// echoesHostile reports whether a message shows one of the hostile strings
// to a person, so the property is not met by a message that shows none.
func echoesHostile(m Message) bool {
	for _, h := range hostile {
		if strings.ContainsAny(h, "<&") && strings.Contains(m.Plain, h) {
			return true
		}
	}
	return false
}

// hostileBot is a bot on a real SQLite database whose every field that did
// not come from the bot is hostile: shop names and gate names, products,
// review content and IDs, order IDs, notes, and an owner typed as a name.
type hostileBot struct {
	*Bot
	db *storage.DB
}

func newHostileBot(t *testing.T) *hostileBot {
	t.Helper()
	ctx := context.Background()
	db, err := storage.Open(filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	now := demoNow
	for _, s := range []storage.Shop{
		{ID: "dy-evil", Name: "<!channel> 潮衣馆 <@U999HACK> & Co", Platform: storage.Douyin, Gates: "<!here>精选联盟=70,<https://evil.example|点我退款>=60"},
		{ID: "tb-evil", Name: "<!everyone> 茶香阁 <#C123>", Platform: storage.Taobao, Lang: storage.LangChinese},
	} {
		if _, err := db.CreateShop(ctx, s, "Asia/Shanghai", now); err != nil {
			t.Fatal(err)
		}
	}
	// Bad reviews of size go to a real person; quality to one typed as text.
	if err := db.SetOwner(ctx, "dy-evil", "size", []string{escAlice}); err != nil {
		t.Fatal(err)
	}
	if err := db.SetOwner(ctx, "dy-evil", "quality", []string{"<!channel>"}); err != nil {
		t.Fatal(err)
	}
	local := func(d time.Duration) string {
		return now.Add(d).In(mustZone("Asia/Shanghai")).Format("2006-01-02 15:04:05")
	}
	var scores [][]string
	for i := 7; i >= 0; i-- {
		day := now.AddDate(0, 0, -i).In(mustZone("Asia/Shanghai")).Format(storage.DateLayout)
		scores = append(scores,
			[]string{"dy-evil", day, fmt.Sprint(72 - i%3), "71", "65", "70"},
			[]string{"tb-evil", day, "", "4.8", "4.7", "4.6"})
	}
	product := "<!here> 连衣裙 " + hostileText
	reviews := [][]string{
		// Three on one product about size within 48 h: a cluster.
		{"dy-evil", "R1", "O1", "P1", product, "1", local(-3 * time.Hour), hostileText + " 尺码偏小"},
		{"dy-evil", "R2", "O2", "P1", product, "2", local(-5 * time.Hour), "尺码 " + hostileText},
		{"dy-evil", "R3", "O3", "P1", product, "1", local(-6 * time.Hour), "尺码不对 <!channel>"},
		// Overdue, owned by the name typed as text.
		{"dy-evil", "R4", "O4", "P2", "<@U999HACK> 大衣", "1", local(-30 * time.Hour), "质量差 " + hostileText},
		// Past twice the deadline, nobody's: escalated and unassigned.
		{"dy-evil", "R5", "O5", "P3", "<#C123> 包装", "2", local(-60 * time.Hour), "包装破了 " + hostileText},
		// A review ID from an export is not the bot's either.
		{"dy-evil", "<!here>R6", "O6", "P4", "&lt;!channel&gt;", "1", local(-1 * time.Hour), hostileText},
		{"tb-evil", "R7", "O7", "P5", "<!everyone> 白茶", "1", local(-4 * time.Hour), "质量 " + hostileText},
	}
	orders := [][]string{
		{"dy-evil", "<!here>O10", product, "199.00", local(-70 * time.Hour), "48h", "", "", ""},
		{"dy-evil", "O11", "<https://evil.example|点我退款> 外套", "99.00", local(-44 * time.Hour), "48h", "", "", ""},
		{"dy-evil", "O12", product, "59.00", local(-45 * time.Hour), "48h", "", "", ""},
		{"tb-evil", "O13", "<!channel> 茶饼", "88.00", local(-60 * time.Hour), "48h", "", "", ""},
	}
	for _, f := range []struct {
		kind storage.Kind
		head []string
		rows [][]string
	}{
		{storage.KindScores, []string{"shop", "date", "overall", "product", "logistics", "service"}, scores},
		{storage.KindReviews, []string{"shop", "review_id", "order_id", "product_id", "product", "rating", "created_at", "content"}, reviews},
		{storage.KindOrders, []string{"shop", "order_id", "product", "amount", "paid_at", "promise", "promised_ship_by", "shipped_at", "tracking_no"}, orders},
	} {
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		w.Write(f.head)
		w.WriteAll(f.rows)
		if _, err := db.Import(ctx, f.kind, string(f.kind)+".csv", &buf); err != nil {
			t.Fatalf("import %s: %v", f.kind, err)
		}
	}
	// The shops are workspace T1's, whose members ask below.
	shops, err := db.ListShops(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range shops {
		if _, err := db.UpdateShop(ctx, s.ID, func(s *storage.Shop) { s.TeamID = "T1" }); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.BindChannel(ctx, "dy-evil", "C0EVIL", storage.TeamScope("T1")); err != nil {
		t.Fatal(err)
	}
	b := &Bot{Store: db, Now: func() time.Time { return now }, Location: mustZone("Asia/Shanghai"), Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	return &hostileBot{b, db}
}

// TestUntrustedTextNeverBecomesMarkup renders every kind of message the
// bot makes, from a database where every field that did not come from the
// bot is hostile, and from commands that carry hostile words: nowhere in
// what Slack receives is there markup but the mentions of real users the
// bot composed itself.
func TestUntrustedTextNeverBecomesMarkup(t *testing.T) {
	d := newHostileBot(t)
	ctx := context.Background()
	allowed := map[string]bool{escAlice: true, escBo: true}
	type result struct {
		name    string
		m       Message
		hostile bool // the message must show a hostile string to a person
	}
	var results []result
	add := func(name string, m Message, shows bool) { results = append(results, result{name, m, shows}) }
	say := func(user, channel, text string) Message {
		return d.Handle(ctx, Request{Text: text, User: user, Channel: channel, Team: "T1"})
	}

	// Follow-ups with hostile notes, so status shows them in its history.
	for _, text := range []string{
		"done R1 refund " + hostileText,
		"reopen R1 " + hostileText,
		"assign R2 to <@" + escBo + ">",
		"claim R5",
	} {
		add("setup: "+text, say(escAlice, "", text), false)
	}

	tests := []struct {
		user, channel, text string
		hostile             bool
	}{
		{escAlice, "", "today dy-evil", true},
		{escAlice, "", "today tb-evil", true},
		{escAlice, "C0EVIL", "today", true},
		{escAlice, "", "today", true},
		{escAlice, "", "reviews dy-evil", true},
		{escAlice, "", "reviews all dy-evil", true},
		{escAlice, "", "reviews all", true},
		{escAlice, "", "reviews mine", true},
		{escAlice, "", "mine", true},
		{escAlice, "C0EVIL", "reviews mine", true},
		{escAlice, "", "late dy-evil", true},
		{escAlice, "", "late", true},
		{escAlice, "", "status R1", true},
		{escAlice, "", "status R4", true},
		{escAlice, "", "status <!here>R6", true},
		{escAlice, "C0EVIL", "owner", true},
		{escAlice, "C0EVIL", "bind dy-evil", true},
		{escAlice, "C0EVIL", "settings", true},
		{escAlice, "", "settings tb-evil", true},
		{escAlice, "", "help", false},
		{escAlice, "", "帮助", false},
		// What a person typed, echoed in hints and errors.
		{escAlice, "", "<!channel>", true},
		{escAlice, "", "frobnicate <!here>", false}, // only the unknown word is quoted
		{escAlice, "", "today <!channel>", true},
		{escAlice, "", "today <https://evil.example|点我退款>", true},
		{escAlice, "", "reviews <#C123>", true},
		{escAlice, "", "status <@U999HACK>", true},
		{escAlice, "", "status <!everyone>", true},
		{escAlice, "", "done R4 <!everyone>", true},
		{escAlice, "", "done <!channel> refund", true},
		{escAlice, "", "assign <https://evil.example|点我退款> to <@" + escBo + ">", true},
		{escAlice, "", "assign R4 to &lt;@U999HACK&gt;", false},
		{escAlice, "", "claim &lt;!channel&gt;", false},
		{escAlice, "C0EVIL", "schedule <!channel> 9 * * *", false},
		{escAlice, "C0EVIL", "owner size <!here>", false},
		{escAlice, "", "&lt;!channel&gt; &amp; <!here>", true},
		// The shell's user is a name, not a Slack ID.
		{"<!channel>", "", "mine", false},
	}
	for _, tt := range tests {
		add(fmt.Sprintf("%s in %q: %s", tt.user, tt.channel, tt.text), say(tt.user, tt.channel, tt.text), tt.hostile)
	}

	// Buttons: a claim redraws the list; one on a posted message answers
	// with a line.
	for _, a := range []Action{
		{Verb: verbAssign, Shop: "dy-evil", Review: "R3", Filter: "open", Scope: "shop", User: escAlice, Team: "T1"},
		{Verb: verbAssign, Shop: "dy-evil", Review: "<!here>R6", Filter: "all", Scope: "all", User: escBo, Team: "T1"},
		{Verb: verbDone, Shop: "dy-evil", Review: "R3", Outcome: "gift", Filter: "open", Scope: "msg", User: escAlice, Team: "T1"},
	} {
		m, _ := d.Act(ctx, a)
		add(fmt.Sprintf("button %s %s (%s)", a.Verb, a.Review, a.Scope), m, a.Scope != "msg")
	}

	// What the jobs post: the digest, shipment warnings, reminders to
	// owners, the channel's follow-up summary, and cluster alerts.
	for _, shop := range []string{"dy-evil", "tb-evil"} {
		dr, err := d.db.DigestReport(ctx, shopOf(t, d.db, shop), demoNow)
		if err != nil {
			t.Fatal(err)
		}
		add("digest "+shop, RenderDigest(dr, demoNow.Add(-time.Hour), true), true)
		sr, err := d.db.ShipmentChanges(ctx, shopOf(t, d.db, shop), demoNow)
		if err != nil {
			t.Fatal(err)
		}
		if sr.Empty() {
			t.Fatalf("%s: no shipment warnings to render", shop)
		}
		add("shipments "+shop, RenderShipments(sr), true)
	}
	rr, err := d.db.Reminders(ctx, shopOf(t, d.db, "dy-evil"), demoNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(rr.Overdue) == 0 || len(rr.Escalate)+len(rr.Unassigned) == 0 || len(rr.Clusters) == 0 {
		t.Fatalf("the reminders report lacks a kind: %d overdue, %d escalated, %d unassigned, %d clusters",
			len(rr.Overdue), len(rr.Escalate), len(rr.Unassigned), len(rr.Clusters))
	}
	for i := range rr.Overdue {
		add("reminder "+rr.Overdue[i].ReviewID, RenderReminder(&rr.Shop, &rr.Overdue[i], demoNow), true)
	}
	add("follow-ups", RenderFollowUps(rr), true)
	for i := range rr.Clusters {
		add("cluster "+rr.Clusters[i].Product, RenderCluster(&rr.Shop, &rr.Clusters[i], demoNow), true)
	}
	// An internal error answers with a sentence of its own.
	add("internal error", d.failure(ctx, Request{Text: hostileText}, nil, fmt.Errorf("boom %s", hostileText)), false)

	mentioned := map[string]bool{}
	for _, r := range results {
		checkSlackSafe(t, r.name, r.m, allowed)
		if r.hostile && !echoesHostile(r.m) {
			t.Errorf("%s: shows no hostile string, so it proves nothing:\n%s", r.name, r.m.Plain)
		}
		for _, m := range mentionMarkup.FindAllStringSubmatch(r.m.Text, -1) {
			mentioned[m[1]] = true
		}
	}
	// The real owners are still mentioned: escaping did not swallow them.
	if !mentioned[escAlice] || !mentioned[escBo] {
		t.Errorf("mentions in the messages: %v, want %s and %s", mentioned, escAlice, escBo)
	}
}

// TestSlackTextHasOneSource holds the package to its seam: a Message is
// made only by doc.message, and text objects only by the helpers in
// message.go, which escape what they are given. A Message built anywhere
// else could carry a raw Text to Slack.
func TestSlackTextHasOneSource(t *testing.T) {
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(names)
	fset := token.NewFileSet()
	checked := 0
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CompositeLit:
				if id, ok := n.Type.(*ast.Ident); ok && id.Name == "Message" && name != "message.go" {
					t.Errorf("%s: a Message is built outside doc.message", fset.Position(n.Pos()))
				}
			case *ast.SelectorExpr:
				if x, ok := n.X.(*ast.Ident); ok && x.Name == "slack" && n.Sel.Name == "NewTextBlockObject" && name != "message.go" {
					t.Errorf("%s: a text object is made outside message.go's escaping helpers", fset.Position(n.Pos()))
				}
			}
			return true
		})
	}
	if checked < 10 {
		t.Fatalf("checked only %d files: the scan is broken", checked)
	}
}
