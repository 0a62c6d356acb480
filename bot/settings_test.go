package bot

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/dsrbot/dsrbot/storage"
)

// The -update flag (declared in golden_test.go) rewrites these golden
// files too: go test ./bot -run TestSettingsGoldenFiles -update

// TestSettingsGoldenFiles renders a shop's settings in both languages,
// from values built by hand: one shop with every setting of its own, one
// with the defaults, no channel, workspace or owners. The facts that take
// a computation (the next digest in the shop's zone) are asserted plainly
// beside the golden files.
func TestSettingsGoldenFiles(t *testing.T) {
	own := cardShop("en")
	own.WeightProduct, own.WeightLogistics, own.WeightService = 40, 20, 40
	own.Gates = "精选联盟=75,超级福袋=80"
	own.FollowUpHours, own.WarnHours = 12, 8
	own.DigestCron = "30 8 * * 1-5" // weekdays; cardClock is a Tuesday, 10:00
	own.Channel, own.TeamID = "C0FASHION", "T0AGENCY"
	owners := []storage.ShopOwner{
		{ShopID: own.ID, Aspect: storage.OwnerDefault, Users: "U0BO00001,U0MEI0001"},
		{ShopID: own.ID, Aspect: "size", Users: "U0ALICE01"},
	}
	defaults := cardShop("zh")
	defaults.ID, defaults.Name, defaults.DigestCron = "dy-home", "家居小铺", storage.DefaultDigestCron

	tests := []struct {
		name    string
		shop    storage.Shop
		owners  []storage.ShopOwner
		want    []string
		notWant []string
	}{
		{"en", own, owners, []string{
			"Settings · 潮衣馆 Trend Closet (dy-fashion)\n",
			"  • Platform: Douyin\n",
			"  • Weights: 商品体验 product 40% · 物流体验 logistics 20% · 服务体验 service 40%\n",
			"  • Gates: 精选联盟 75 · 超级福袋 80\n",
			"  • Follow-up deadline: 12 h after a bad review arrives or is reopened\n",
			"  • Shipping warning: 8 h before an order's ship-by time\n",
			"  • everything else (rota) → <@U0BO00001>, <@U0MEI0001>\n",
			"  • size → <@U0ALICE01>\n",
			"  • Morning digest: 30 8 * * 1-5 (Asia/Shanghai); next at 2026-11-25 08:30\n",
			"  • Language: English (en)\n",
			"  • Channel: C0FASHION\n",
			"  • Slack workspace: T0AGENCY\n",
			"dsrbot shop set dy-fashion --weights 40,20,40 --gates 精选联盟=75,超级福袋=80 --warn-hours 8 --followup-hours 12 --lang en --tz Asia/Shanghai",
		}, []string{"(default)", "!"}},
		{"zh", defaults, nil, []string{
			"设置 · 家居小铺（dy-home）\n",
			"  • 平台：抖音\n",
			"  • 权重：商品体验 50% · 物流体验 15% · 服务体验 35%（默认）\n",
			"  • 分线：千川投放 60 · 精选联盟 70（默认）\n",
			"  • 跟进时限：差评到达或重开后 24 小时\n",
			"  • 尚未设置：新差评将保持未分配。\n",
			"  • 每日简报：0 9 * * *（Asia/Shanghai）；下一次：2026-11-25 09:00\n",
			"  • 语言：中文（zh）\n",
			"  • 频道：未绑定；请在店铺频道中运行 /dsr bind dy-home\n",
			"  • Slack 工作区：暂无；请管理员在机器人所在的服务器上运行：dsrbot shop set dy-home --team T…\n",
		}, []string{"Settings", "default", "!"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := settingsDoc(&tt.shop, tt.owners, cardClock).message()
			for _, w := range tt.want {
				if !strings.Contains(m.Plain, w) {
					t.Errorf("settings lack %q:\n%s", w, m.Plain)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(m.Plain, w) {
					t.Errorf("settings have %q:\n%s", w, m.Plain)
				}
			}
			goldenMessage(t, "settings_"+tt.name, m)
		})
	}

	// A Taobao shop has no weights or gates to show, nor to set.
	tb := taobaoStale().Shop
	m := settingsDoc(&tb, nil, cardClock).message()
	if !strings.Contains(m.Plain, "Weights and gates: none") || strings.Contains(m.Plain, "--weights") || strings.Contains(m.Plain, "Gates:") {
		t.Errorf("Taobao settings:\n%s", m.Plain)
	}
}

// TestParseSettings: the settings verb in English and Chinese, with and
// without a shop. (Kept here, beside the handler, rather than in
// command_test.go's table.)
func TestParseSettings(t *testing.T) {
	for _, tt := range []struct {
		text string
		want Command
		bad  bool
	}{
		{"settings", Command{Verb: verbSettings}, false},
		{"SETTINGS dy-fashion", Command{Verb: verbSettings, Shop: "dy-fashion"}, false},
		{"设置", Command{Verb: verbSettings}, false},
		{"设置 dy-home", Command{Verb: verbSettings, Shop: "dy-home"}, false},
		{"设置\u3000dy-home", Command{Verb: verbSettings, Shop: "dy-home"}, false},
		// A shop's name may be several words, as `today` takes it.
		{"settings a b", Command{Verb: verbSettings, Shop: "a b"}, false},
	} {
		c, err := Parse(tt.text)
		if tt.bad {
			if pe, ok := err.(*parseError); !ok || pe.key != "err.usage" || pe.verb != verbSettings {
				t.Errorf("%q: %v, want the settings usage", tt.text, err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(c, tt.want) {
			t.Errorf("%q: %+v, %v; want %+v", tt.text, c, err, tt.want)
		}
	}
}

// TestHandleSettings: /dsr settings is the channel's shop in its channel,
// the named shop elsewhere, and asks for a shop where there is neither; it
// shows only the workspace's own shops, in the shop's language, and
// changes nothing.
func TestHandleSettings(t *testing.T) {
	d := newDemoBot(t)
	ctx := context.Background()
	if _, err := d.db.BindChannel(ctx, "dy-fashion", "C0FASHION"); err != nil {
		t.Fatal(err)
	}
	if err := d.db.SetOwner(ctx, "dy-fashion", "size", []string{"U0ALICE01"}); err != nil {
		t.Fatal(err)
	}
	before, err := d.db.FindShop(ctx, "dy-fashion")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name            string
		req             Request
		want            string // the start of the answer
		has             []string
		notHas          []string
		channelAnswered bool
	}{
		{"in the shop's channel", Request{Text: "settings", Channel: "C0FASHION", Team: demoTeam},
			"Settings · 潮衣馆 Trend Closet (dy-fashion)\n", []string{"  • size → <@U0ALICE01>\n", "  • Channel: C0FASHION\n", "  • Slack workspace: T0AGENCY\n"}, nil, false},
		{"named", Request{Text: "settings tb-tea", Team: demoTeam},
			"Settings · 茶香阁 Tea House (tb-tea)\n", []string{"Weights and gates: none"}, []string{"Gates:"}, false},
		{"named in another shop's channel", Request{Text: "设置 dy-home", Channel: "C0FASHION", Team: demoTeam},
			"设置 · 家居小铺 Cozy Home（dy-home）\n", []string{"  • 语言：中文（zh）\n"}, nil, false},
		{"outside a channel, no shop", Request{Text: "settings", Team: demoTeam},
			en.t("err.whichshop", "/dsr settings", "dy-beauty, dy-fashion, dy-home, tb-tea") + "\n", nil, nil, false},
		{"outside a channel, in Chinese", Request{Text: "设置", Team: demoTeam},
			zh.t("err.whichshop", "/dsr settings", "dy-beauty、dy-fashion、dy-home、tb-tea") + "\n", nil, nil, false},
		{"another workspace's shop", Request{Text: "settings dy-fashion", Team: "T0OTHER"},
			en.t("err.noshop.team", "dy-fashion", "T0OTHER") + "\n", nil, []string{"C0FASHION"}, false},
		{"another workspace, in the shop's channel", Request{Text: "settings", Channel: "C0FASHION", Team: "T0OTHER"},
			en.t("all.noshops.team", "T0OTHER") + "\n", nil, nil, false},
		{"a shop named by a name of several words", Request{Text: "settings Trend Closet", Team: demoTeam},
			"Settings · 潮衣馆 Trend Closet (dy-fashion)\n", nil, nil, false},
		{"the local shell", Request{Text: "settings dy-fashion", Local: true},
			"Settings · 潮衣馆 Trend Closet (dy-fashion)\n", nil, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := d.handle(t, tt.req)
			if !strings.HasPrefix(m.Text, tt.want) {
				t.Errorf("answered:\n%s\nwant it to start %q", m.Text, tt.want)
			}
			for _, w := range tt.has {
				if !strings.Contains(m.Text, w) {
					t.Errorf("answer lacks %q:\n%s", w, m.Text)
				}
			}
			for _, w := range tt.notHas {
				if strings.Contains(m.Text, w) {
					t.Errorf("answer has %q:\n%s", w, m.Text)
				}
			}
			if m.InChannel != tt.channelAnswered {
				t.Errorf("shown to the channel: %v", m.InChannel)
			}
		})
	}
	after, err := d.db.FindShop(ctx, "dy-fashion")
	if err != nil {
		t.Fatal(err)
	}
	if *after != *before {
		t.Errorf("settings changed the shop:\n%+v\nto\n%+v", before, after)
	}
	if strings.Contains(d.log.String(), "command failed") {
		t.Errorf("a settings answer was logged as a failure:\n%s", d.log)
	}
}
