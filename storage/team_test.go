package storage

import (
	"context"
	"strings"
	"testing"
)

// teamFixture is three shops: a of workspace T1, b of T2, c of none; R1 in
// a and in b (one ID, two shops), R2 in c; U0A follows up all three.
func teamFixture(t *testing.T) *DB {
	t.Helper()
	ctx := context.Background()
	db := newTestDB(t)
	for id, team := range map[string]string{"a": "T1", "b": "T2", "c": ""} {
		if _, err := db.CreateShop(ctx, Shop{ID: id, Name: "Shop " + id, Platform: Douyin, TeamID: team}, "Asia/Shanghai", testNow); err != nil {
			t.Fatal(err)
		}
	}
	mustImport(t, db, KindReviews, "shop,review_id,rating,created_at,content\n"+
		"a,R1,1,2026-11-24 08:00:00,尺码偏小\n"+
		"b,R1,1,2026-11-24 08:00:00,质量差\n"+
		"c,R2,2,2026-11-24 08:00:00,物流太慢\n", 3)
	for _, k := range [][2]string{{"a", "R1"}, {"b", "R1"}, {"c", "R2"}} {
		r, err := db.FindReview(ctx, k[0], k[1])
		if err != nil {
			t.Fatal(err)
		}
		if err := db.AssignReview(ctx, r.ID, "U0A", Change{Actor: "U0BOSS", At: testNow}); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

// Each scope sees its own shops and their reviews, and nothing of another
// workspace's; the operator sees all; a scope without a workspace, nothing.
func TestScopes(t *testing.T) {
	ctx := context.Background()
	db := teamFixture(t)
	tests := []struct {
		name  string
		scope Scope
		shops string
		// R1 without a shop: the shop it is found in, or the error code.
		r1, r1code string
		mine       int
		allows     map[string]string // shop -> Allows' code
	}{
		{"operator", AllShops, "a,b,c", "", ECONFLICT, 3, map[string]string{"a": "", "b": "", "c": ""}},
		{"T1", TeamScope("T1"), "a", "a", "", 1, map[string]string{"a": "", "b": EUNAUTHORIZED, "c": EUNAUTHORIZED}},
		{"T2", TeamScope("T2"), "b", "b", "", 1, map[string]string{"a": EUNAUTHORIZED, "b": "", "c": EUNAUTHORIZED}},
		{"a workspace with no shop", TeamScope("T9"), "", "", ENOTFOUND, 0, map[string]string{"a": EUNAUTHORIZED, "b": EUNAUTHORIZED, "c": EUNAUTHORIZED}},
		{"no workspace", TeamScope(""), "", "", ENOTFOUND, 0, map[string]string{"a": EUNAUTHORIZED, "b": EUNAUTHORIZED, "c": EUNAUTHORIZED}},
		{"the zero scope", Scope{}, "", "", ENOTFOUND, 0, map[string]string{"a": EUNAUTHORIZED, "b": EUNAUTHORIZED, "c": EUNAUTHORIZED}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			shops, err := db.ListShopsIn(ctx, tt.scope)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, s := range shops {
				ids = append(ids, s.ID)
			}
			if got := strings.Join(ids, ","); got != tt.shops {
				t.Errorf("ListShopsIn = %q, want %q", got, tt.shops)
			}
			r, err := db.FindReviewIn(ctx, tt.scope, "", "R1")
			if ErrorCode(err) != tt.r1code || (err == nil && r.ShopID != tt.r1) {
				t.Errorf("FindReviewIn(R1) = %+v, %v; want shop %q, code %q", r, err, tt.r1, tt.r1code)
			}
			// A shop named outright is still only found in scope.
			if _, err := db.FindReviewIn(ctx, tt.scope, "b", "R1"); (ErrorCode(err) == "") != (tt.allows["b"] == "") {
				t.Errorf("FindReviewIn(b, R1): %v", err)
			}
			if _, n, err := db.MineIn(ctx, tt.scope, "U0A", 10); err != nil || n != tt.mine {
				t.Errorf("MineIn = %d, %v; want %d", n, err, tt.mine)
			}
			for id, want := range tt.allows {
				s, err := db.FindShop(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				if got := ErrorCode(tt.scope.Allows(s)); got != want {
					t.Errorf("Allows(%s) = %q, want %q", id, got, want)
				}
			}
		})
	}
}

// A workspace binds a channel to its own shops only; it never claims a shop
// of no workspace by binding it, nor takes a channel that speaks for a shop
// it does not own. The operator binds anything.
func TestBindChannelScope(t *testing.T) {
	ctx := context.Background()
	db := teamFixture(t)
	steps := []struct {
		name          string
		shop, channel string
		scope         []Scope
		code          string
		// after: the channel of a, b and c.
		a, b, c string
	}{
		{"T1 binds its shop", "a", "C1", []Scope{TeamScope("T1")}, "", "C1", "", ""},
		{"T1 binds another workspace's", "b", "C2", []Scope{TeamScope("T1")}, EUNAUTHORIZED, "C1", "", ""},
		{"T1 binds a shop of none", "c", "C3", []Scope{TeamScope("T1")}, EUNAUTHORIZED, "C1", "", ""},
		{"no workspace binds", "a", "C4", []Scope{TeamScope("")}, EUNAUTHORIZED, "C1", "", ""},
		{"T2 takes T1's channel", "b", "C1", []Scope{TeamScope("T2")}, ECONFLICT, "C1", "", ""},
		{"T2 binds its shop elsewhere", "b", "C2", []Scope{TeamScope("T2")}, "", "C1", "C2", ""},
		{"the operator binds a shop of none", "c", "C1", nil, "", "", "C2", "C1"},
		{"T1 takes the operator's channel of a shop of none", "a", "C1", []Scope{TeamScope("T1")}, ECONFLICT, "", "C2", "C1"},
		{"T1 binds elsewhere", "a", "C5", []Scope{TeamScope("T1")}, "", "C5", "C2", "C1"},
	}
	for _, st := range steps {
		_, err := db.BindChannel(ctx, st.shop, st.channel, st.scope...)
		if ErrorCode(err) != st.code {
			t.Errorf("%s: error %v, want code %q", st.name, err, st.code)
		}
		for id, want := range map[string]string{"a": st.a, "b": st.b, "c": st.c} {
			s, err := db.FindShop(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if s.Channel != want {
				t.Errorf("%s: %s is on %q, want %q", st.name, id, s.Channel, want)
			}
		}
	}
	// Binding never gives a shop a workspace.
	if c, _ := db.FindShop(ctx, "c"); c.TeamID != "" {
		t.Errorf("c belongs to %q after binds", c.TeamID)
	}
}

func TestShopTeamID(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	tests := []struct {
		team string
		ok   bool
	}{
		{"", true},
		{"T1", true},
		{"T024BE7LD", true},
		{"t024be7ld", false},
		{"T", false},
		{"E024BE7LD", false},
		{"T024-BE7", false},
		{"T024BE7LD ", false},
		{"acme", false},
	}
	for i, tt := range tests {
		id := "s" + string(rune('a'+i))
		_, err := db.CreateShop(ctx, Shop{ID: id, Name: "S", Platform: Douyin, TeamID: tt.team}, "Asia/Shanghai", testNow)
		if (err == nil) != tt.ok || (err != nil && ErrorCode(err) != EINVALID) {
			t.Errorf("team %q: %v, want ok=%v", tt.team, err, tt.ok)
		}
	}
	// UpdateShop sets and clears it.
	mustCreateShop(t, db, "x", Douyin)
	for _, team := range []string{"T1", "T2", ""} {
		s, err := db.UpdateShop(ctx, "x", func(s *Shop) { s.TeamID = team })
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := db.FindShop(ctx, "x"); s.TeamID != team || got.TeamID != team {
			t.Errorf("after setting %q: returned %q, stored %q", team, s.TeamID, got.TeamID)
		}
	}
	if _, err := db.UpdateShop(ctx, "x", func(s *Shop) { s.TeamID = "nope" }); ErrorCode(err) != EINVALID {
		t.Errorf("a bad team ID: %v", err)
	}
}
