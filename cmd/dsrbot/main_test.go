package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dsrbot/dsrbot/storage"
)

// now is the fixed clock of these tests: 10:00 in Shanghai.
var now = time.Date(2026, 11, 24, 2, 0, 0, 0, time.UTC)

// run runs dsrbot with args on the database at db, feeding stdin, and
// returns what it printed and the exit code main would use.
func run(t *testing.T, db, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := map[string]string{"DSRBOT_DB": db, "USER": "alice"}
	m := &Main{
		Getenv: func(k string) string { return env[k] },
		Stdin:  strings.NewReader(stdin),
		Stdout: &out,
		Stderr: &errOut,
		Now:    func() time.Time { return now },
	}
	err := m.Run(context.Background(), args)
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	code = exitCode(m, err)
	return out.String(), errOut.String(), code
}

func TestShellOnEmptyDatabaseLoadsDemo(t *testing.T) {
	db := filepath.Join(t.TempDir(), "dsrbot.db")
	out, errOut, code := run(t, db, "/dsr today\n/dsr today dy-fashion\n/dsr today nope\nhello\n/dsr help\n")
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
	for _, want := range []string{
		"was empty, so it now holds the demo",
		"All shops · 2026-11-24",
		"dy-beauty", "dy-home 家居小铺 Cozy Home · growth stage 70.0", "tb-tea",
		"潮衣馆 Trend Closet · dy-fashion · Douyin · 2026-11-24",
		"below the 70 line (精选联盟)",
		`There is no shop "nope". Shops: dy-beauty, dy-fashion, dy-home, tb-tea.`,
		"Commands start with /dsr or @dsrbot",
		"/dsr today [SHOP]",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("shell output lacks %q", want)
		}
	}
	if strings.Contains(out, "dsr> ") {
		t.Error("prompt printed when stdin is not a terminal")
	}

	// A second start finds the data and does not load the demo again.
	out, _, code = run(t, db, "")
	if code != 0 || strings.Contains(out, "was empty") {
		t.Fatalf("second start: exit %d, output:\n%s", code, out)
	}
}

func TestShellFollowUp(t *testing.T) {
	db := filepath.Join(t.TempDir(), "dsrbot.db")
	mustRun(t, db, "shop", "add", "s1", "--name", "Shop One", "--platform", "douyin")
	reviews := writeFile(t, "reviews.csv", "shop,review_id,order_id,product_id,product,rating,created_at,content\n"+
		"s1,R1,O1,P1,连衣裙,1,2026-11-24 08:00:00,尺码偏小\n")
	mustRun(t, db, "import", "reviews", reviews)

	out, _, _ := run(t, db, "@dsrbot 分配 R1 给 @alice\n@dsrbot mine\n@dsrbot done R1 refund called back\n@dsrbot done R1 refund\n")
	for _, want := range []string{
		"R1 → @alice: follow-up assigned.",
		"R1 · 1★ · 连衣裙 · size · @alice",
		"R1 closed: refund.",
		"R1 was already closed (refund); nothing changed.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestImport(t *testing.T) {
	db := filepath.Join(t.TempDir(), "dsrbot.db")
	mustRun(t, db, "shop", "add", "s1", "--name", "Shop One", "--platform", "douyin")
	good := writeFile(t, "orders.csv", "shop,order_id,product,amount,paid_at,promise,promised_ship_by,shipped_at,tracking_no\n"+
		"s1,O1,连衣裙,159.00,2026-11-23 08:00:00,same_day,,,\n"+
		"s1,O2,连衣裙,159.00,2026-11-20T08:00:00+08:00,,,2026-11-21 09:00:00,SF1\n")
	out, _, code := run(t, db, "", "import", "orders", good)
	if code != 0 || !strings.Contains(out, "2 rows: 2 inserted, 0 updated, 0 unchanged") {
		t.Fatalf("good import: exit %d, output %q", code, out)
	}

	bad := writeFile(t, "bad.csv", "shop,order_id,product,amount,paid_at,promise,promised_ship_by,shipped_at,tracking_no\n"+
		"s1,O3,连衣裙,159.00,2026-11-24 08:00:00,,,,\n"+
		"s1,O4,连衣裙,159.00,2026-11-24 08:00:00,tomorrow,,,\n")
	_, errOut, code := run(t, db, "", "import", "orders", bad)
	if code != 1 {
		t.Fatalf("bad import: exit %d, want 1", code)
	}
	want := bad + `:3: promise: "tomorrow" is not one of same_day, next_day, 48h, custom, presale`
	if strings.TrimSpace(errOut) != want {
		t.Fatalf("bad import stderr = %q, want %q", errOut, want)
	}
	// Nothing of the bad file was written: O3 is not there.
	out, _, _ = run(t, db, "/dsr late s1\n")
	if strings.Contains(out, "O3") || !strings.Contains(out, "O1") {
		t.Fatalf("after a failed import the late list is:\n%s", out)
	}
}

func TestCommandLineErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "dsrbot.db")
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"bogus"}, 2, `unknown command "bogus"`},
		{[]string{"shop", "add", "s1", "--name", "x"}, 2, "needs an ID, --name and --platform"},
		{[]string{"shop", "add", "s1", "--name", "x", "--platform", "amazon"}, 1, `platform must be douyin or taobao, not "amazon"`},
		{[]string{"shop", "add", "s1", "--name", "x", "--platform", "douyin", "--tz", "Mars/Base"}, 1, "unknown time zone"},
		{[]string{"import", "ratings", "x.csv"}, 2, `unknown import kind "ratings"`},
		{[]string{"import", "orders", filepath.Join(t.TempDir(), "missing.csv")}, 1, "cannot read"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			_, errOut, code := run(t, db, "", tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.want) {
				t.Fatalf("exit %d, stderr %q; want exit %d with %q", code, errOut, tt.code, tt.want)
			}
		})
	}
	mustRun(t, db, "shop", "add", "s1", "--name", "x", "--platform", "douyin")
	if _, errOut, code := run(t, db, "", "shop", "add", "s1", "--name", "x", "--platform", "douyin"); code != 1 || !strings.Contains(errOut, "already exists") {
		t.Fatalf("duplicate shop: exit %d, stderr %q", code, errOut)
	}
}

func TestDemoIsDeterministic(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.db"), filepath.Join(dir, "b.db")
	mustRun(t, a, "demo", "--seed", "7", "--orders", "2000")
	mustRun(t, b, "demo", "--seed", "7", "--orders", "2000")
	outA, _, _ := run(t, a, "/dsr today\n/dsr today dy-fashion\n/dsr reviews all dy-fashion\n/dsr late\n")
	outB, _, _ := run(t, b, "/dsr today\n/dsr today dy-fashion\n/dsr reviews all dy-fashion\n/dsr late\n")
	if outA != outB {
		t.Fatal("the same seed gave two different demos")
	}
}

// TestDemoIntoAFullDatabase: the demo loads only into an empty database;
// a second demo, or one into a team's data, is refused and changes nothing.
func TestDemoIntoAFullDatabase(t *testing.T) {
	db := filepath.Join(t.TempDir(), "dsrbot.db")
	mustRun(t, db, "demo", "--orders", "2000")
	before := mustRun(t, db, "run", "digest", "--shop", "dy-fashion")
	_, errOut, code := run(t, db, "", "demo", "--orders", "2000")
	if code != 1 || !strings.Contains(errOut, "the database already holds 4 shops; the demo loads only into an empty database") {
		t.Fatalf("second demo: exit %d, %q", code, errOut)
	}
	if after := mustRun(t, db, "run", "digest", "--shop", "dy-fashion"); after != before {
		t.Fatal("a refused demo changed the data")
	}
	for _, args := range [][]string{{"demo", "--shops", "0"}, {"demo", "--shops", "3"}, {"demo", "--orders", "0"}} {
		if _, errOut, code := run(t, filepath.Join(t.TempDir(), "x.db"), "", args...); code != 2 || !strings.Contains(errOut, "demo --shops takes 4 or more") {
			t.Errorf("%v: exit %d, %q", args, code, errOut)
		}
	}
}

func TestConfigRejectsBadZone(t *testing.T) {
	_, err := ConfigFromEnv(func(k string) string {
		if k == "DSRBOT_TZ" {
			return "Nowhere/City"
		}
		return ""
	})
	if err == nil || !strings.Contains(err.Error(), "DSRBOT_TZ") {
		t.Fatalf("err = %v", err)
	}
	c, err := ConfigFromEnv(func(string) string { return "" })
	if err != nil || c.DB != "./dsrbot.db" || c.Addr != ":8080" || c.TZ != "Asia/Shanghai" || c.APIURL != "https://slack.com/api/" {
		t.Fatalf("defaults = %+v, %v", c, err)
	}
}

func mustRun(t *testing.T, db string, args ...string) string {
	t.Helper()
	out, errOut, code := run(t, db, "", args...)
	if code != 0 {
		t.Fatalf("dsrbot %s: exit %d\n%s", strings.Join(args, " "), code, errOut)
	}
	return out
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

var _ = errors.New
var _ = storage.DemoDays

func TestRunDigestWithoutTokenPrints(t *testing.T) {
	db := filepath.Join(t.TempDir(), "dsrbot.db")
	mustRun(t, db, "demo", "--orders", "2000")
	out := mustRun(t, db, "run", "digest", "--shop", "dy-fashion")
	for _, want := range []string{"Morning digest · 潮衣馆 Trend Closet (dy-fashion) · 2026-11-24", "Week: ", "Bad reviews"} {
		if !strings.Contains(out, want) {
			t.Errorf("run digest output lacks %q:\n%s", want, out)
		}
	}
	// Printing changes nothing: the same digest prints again.
	if again := mustRun(t, db, "run", "digest", "--shop", "dy-fashion"); again != out {
		t.Fatal("a printed digest marked its reviews as reported")
	}
	if _, errOut, code := run(t, db, "", "run", "refunds"); code != 2 || !strings.Contains(errOut, `unknown job "refunds"`) {
		t.Fatalf("run refunds: exit %d, %q", code, errOut)
	}
}

func TestSchedule(t *testing.T) {
	db := filepath.Join(t.TempDir(), "dsrbot.db")
	mustRun(t, db, "shop", "add", "s1", "--name", "One", "--platform", "douyin")
	out := mustRun(t, db, "schedule", "s1", "30 8 * * 1-5")
	if want := `shop s1: digest at "30 8 * * 1-5" (Asia/Shanghai); next 2026-11-25 08:30 CST`; strings.TrimSpace(out) != want {
		t.Fatalf("schedule printed %q, want %q", out, want)
	}
	for _, tt := range []struct {
		spec []string
		want string
	}{
		{[]string{"61", "8", "*", "*", "*"}, `the minute field "61" is out of range or not a number: use 0-59`},
		{[]string{"0", "25", "*", "*", "*"}, `the hour field "25" is out of range or not a number: use 0-23`},
		{[]string{"0", "9", "*", "13", "*"}, `the month field "13" is out of range`},
		{[]string{"0", "9", "*", "*"}, `use five fields, minute hour day-of-month month day-of-week`},
	} {
		if _, errOut, code := run(t, db, "", append([]string{"schedule", "s1"}, tt.spec...)...); code != 1 || !strings.Contains(errOut, tt.want) {
			t.Errorf("schedule %v: exit %d, %q; want %q", tt.spec, code, errOut, tt.want)
		}
	}
}

func TestImportPlatformExport(t *testing.T) {
	db := filepath.Join(t.TempDir(), "dsrbot.db")
	mustRun(t, db, "shop", "add", "dy", "--name", "潮衣馆", "--platform", "douyin")
	file := filepath.Join("..", "..", "testdata", "doudian_orders_gbk.csv")
	out := mustRun(t, db, "import", "orders", file, "--shop", "dy")
	if want := "(抖店 order export (订单导出), GBK): 4 rows: 4 inserted, 0 updated, 0 unchanged, 1 skipped (unpaid)"; !strings.Contains(out, want) {
		t.Fatalf("import printed %q, want %q", out, want)
	}
	out = mustRun(t, db, "import", "orders", "--shop", "dy", file)
	if !strings.Contains(out, "4 rows: 0 inserted, 0 updated, 4 unchanged") {
		t.Fatalf("re-import printed %q", out)
	}
	if _, errOut, code := run(t, db, "", "import", "orders", file); code != 1 || !strings.Contains(errOut, ":1: --shop: this is a 抖店 order export") {
		t.Fatalf("without --shop: exit %d, %q", code, errOut)
	}
}

func TestShopSet(t *testing.T) {
	db := filepath.Join(t.TempDir(), "dsrbot.db")
	if out := mustRun(t, db, "shop", "list"); !strings.HasPrefix(out, "no shops in ") {
		t.Errorf("shop list on an empty database printed %q", out)
	}
	mustRun(t, db, "shop", "add", "s1", "--name", "One", "--platform", "douyin")
	out := mustRun(t, db, "shop", "set", "s1", "--lang", "zh", "--weights", "40,20,40", "--warn-hours", "4", "--followup-hours", "12")
	if want := "shop s1: One, Asia/Shanghai, zh, weights 40/20/40, at risk 4 h before the deadline, follow-ups due in 12 h, gates 千川投放=60,精选联盟=70"; strings.TrimSpace(out) != want {
		t.Fatalf("shop set printed %q", out)
	}
	// A shop's own gates, in any order and with Chinese punctuation, are
	// kept lowest first; "default" goes back to the defaults.
	out = mustRun(t, db, "shop", "set", "s1", "--gates", "精选联盟=75，超级福袋=80")
	if !strings.HasSuffix(strings.TrimSpace(out), "gates 精选联盟=75,超级福袋=80") {
		t.Fatalf("shop set --gates printed %q", out)
	}
	if _, errOut, code := run(t, db, "", "shop", "set", "s1", "--gates", "精选联盟=七十"); code != 1 || !strings.Contains(errOut, `gate 精选联盟: "七十" is not a score from 50 to 100`) {
		t.Fatalf("bad gates: exit %d, %q", code, errOut)
	}
	out = mustRun(t, db, "shop", "set", "s1", "--gates", "default")
	if !strings.HasSuffix(strings.TrimSpace(out), "gates 千川投放=60,精选联盟=70") {
		t.Fatalf("shop set --gates default printed %q", out)
	}
	out = mustRun(t, db, "shop", "add", "s2", "--name", "Two", "--platform", "douyin", "--gates", "精选联盟=72")
	if !strings.Contains(out, "gates 精选联盟=72") {
		t.Fatalf("shop add --gates printed %q", out)
	}
	for _, flag := range []string{"--warn-hours", "--followup-hours"} {
		if _, errOut, code := run(t, db, "", "shop", "set", "s1", flag, "0"); code != 1 || !strings.Contains(errOut, "must be 1 to") {
			t.Errorf("%s 0: exit %d, %q", flag, code, errOut)
		}
	}
	if _, errOut, code := run(t, db, "", "shop", "set", "s1", "--weights", "50,50,50"); code != 1 || !strings.Contains(errOut, "add up to 100") {
		t.Fatalf("bad weights: exit %d, %q", code, errOut)
	}
	if _, errOut, code := run(t, db, "", "shop", "set", "nope", "--lang", "zh"); code != 1 || !strings.Contains(errOut, `no shop "nope"`) {
		t.Fatalf("unknown shop: exit %d, %q", code, errOut)
	}
}

// TestImportRefusesExcelMangledIDs: an export whose IDs Excel turned into
// 6.91793E+18 is refused from the CLI with the file, line, the export's own
// column and the reason, in the shop's language, exit 1, nothing written.
func TestImportRefusesExcelMangledIDs(t *testing.T) {
	db := filepath.Join(t.TempDir(), "dsrbot.db")
	mustRun(t, db, "shop", "add", "dy", "--name", "潮衣馆", "--platform", "douyin")
	mustRun(t, db, "shop", "add", "dy-zh", "--name", "家居小铺", "--platform", "douyin", "--lang", "zh")
	file := filepath.Join(t.TempDir(), "orders.csv")
	export := "主订单编号,子订单编号,选购商品,订单应付金额,支付完成时间,承诺发货时间,发货时间,订单状态\n" +
		"6921345678901234567,6921345678901234568,连衣裙,149.00,2026/11/22 0:54,-,-,待发货\n" +
		"6.91793E+18,6.91793E+18,连衣裙,149.00,2026/11/22 0:54,-,-,待发货\n"
	if err := os.WriteFile(file, []byte(export), 0o644); err != nil {
		t.Fatal(err)
	}
	for shop, reason := range map[string]string{
		"dy":    "子订单编号: 6.91793E+18 lost its digits in Excel; export again and open it as text",
		"dy-zh": "子订单编号: 6.91793E+18 在 Excel 中丢失了位数；请重新导出，并以文本格式打开",
	} {
		_, errOut, code := run(t, db, "", "import", "orders", file, "--shop", shop)
		if code != 1 || !strings.Contains(errOut, file+":3: "+reason) {
			t.Errorf("--shop %s: exit %d, %q; want 1 and %q", shop, code, errOut, reason)
		}
	}
	if out := mustRun(t, db, "run", "shipments", "--shop", "dy"); strings.Contains(out, "6921345678901234568") {
		t.Errorf("a refused file left an order behind: %q", out)
	}
}

// TestKeywordChineseAspect: `dsrbot keyword ID 物流 顺丰` works as the English
// name does, and the shop's next import sorts by it.
func TestKeywordChineseAspect(t *testing.T) {
	db := filepath.Join(t.TempDir(), "dsrbot.db")
	mustRun(t, db, "shop", "add", "s1", "--name", "One", "--platform", "douyin")
	for _, c := range []struct{ aspect, word, want string }{
		{"物流", "黑猫", "logistics"},
		{"材质", "跑丝", "material"},
		{"logistics", "顺丰", "logistics"},
		{"其他", "透明", "other"},
	} {
		out := mustRun(t, db, "keyword", "s1", c.aspect, c.word)
		if want := `shop s1: "` + c.word + `" now means ` + c.want; strings.TrimSpace(out) != want {
			t.Errorf("keyword %s %s printed %q, want %q", c.aspect, c.word, out, want)
		}
	}
	if _, errOut, code := run(t, db, "", "keyword", "s1", "物", "x"); code != 1 || !strings.Contains(errOut, "is not an aspect") || !strings.Contains(errOut, "物流") {
		t.Fatalf("keyword with an unknown aspect: exit %d, %q", code, errOut)
	}
	reviews := writeFile(t, "reviews.csv", "shop,review_id,rating,created_at,content\n"+
		"s1,R1,1,2026-11-24 08:00:00,黑猫三天都没动\n"+
		"s1,R2,1,2026-11-24 08:00:00,穿了一天就跑丝\n")
	mustRun(t, db, "import", "reviews", reviews)
	out, _, _ := run(t, db, "/dsr reviews all s1\n")
	for _, want := range []string{"· logistics ·", "· material ·"} {
		if !strings.Contains(out, want) {
			t.Errorf("the imported reviews do not show %s:\n%s", want, out)
		}
	}
}
