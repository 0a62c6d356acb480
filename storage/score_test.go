package storage

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// TestFivePoint has a row at every step boundary from 50 to 100 of the
// 商家体验分规范 table: each step's lower bound and the score just under it.
func TestFivePoint(t *testing.T) {
	tests := []struct {
		score float64
		want  float64
	}{
		{49, 3.0}, // a formal score is never below 50; clamp rather than invent
		{50, 3.0},
		{50.9, 3.0},
		{51, 3.1},
		{52, 3.2},
		{53, 3.3},
		{54, 3.4},
		{55, 3.5},
		{56, 3.6},
		{57, 3.7},
		{58, 3.8},
		{59, 3.9},
		{59.9, 3.9},
		{60, 4.0},
		{60.9, 4.0},
		{61, 4.1},
		{64.9, 4.1},
		{65, 4.2},
		{68.9, 4.2},
		{69, 4.3},
		{72.9, 4.3},
		{73, 4.4},
		{76.9, 4.4},
		{77, 4.5},
		{80.9, 4.5},
		{81, 4.6},
		{84.9, 4.6},
		{85, 4.7},
		{88.9, 4.7},
		{89, 4.8},
		{92.9, 4.8},
		{93, 4.9},
		{96.9, 4.9}, // a step is reached at its lower bound, never by rounding up
		{97, 5.0},
		{100, 5.0},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.score), func(t *testing.T) {
			got := FivePoint(tt.score)
			if int(math.Round(got*10)) != int(math.Round(tt.want*10)) {
				t.Errorf("FivePoint(%v) = %v, want %.1f", tt.score, got, tt.want)
			}
		})
	}
}

// TestShownRoundsOnce: the stars are read off the shown value, so a card
// never shows 97.0 beside 4.9★.
func TestShownRoundsOnce(t *testing.T) {
	for _, tt := range []struct{ score, shown, stars float64 }{
		{96.99, 97.0, 5.0},
		{96.94, 96.9, 4.9},
		{79.99, 80.0, 4.5},
		{59.96, 60.0, 4.0},
	} {
		shown := Shown(tt.score)
		if shown != tt.shown || FivePoint(shown) != tt.stars {
			t.Errorf("%v: shown %v (%v★), want %v (%v★)", tt.score, shown, FivePoint(shown), tt.shown, tt.stars)
		}
	}
}

func TestParseGates(t *testing.T) {
	tests := []struct {
		in, want, err string
	}{
		{"", "", ""},
		{"default", "", ""},
		{"精选联盟=70,千川投放=60", "千川投放=60,精选联盟=70", ""},
		{" 精选联盟 = 70 ， 超级福袋＝80、千川投放=60.5 ", "千川投放=60.5,精选联盟=70,超级福袋=80", ""},
		{"精选联盟", "", `gate "精选联盟": write NAME=SCORE`},
		{"=70", "", `gate "=70": write NAME=SCORE`},
		{"精选联盟=七十", "", `gate 精选联盟: "七十" is not a score from 50 to 100`},
		{"精选联盟=101", "", "is not a score from 50 to 100"},
		{"精选联盟=70,精选联盟=75", "", "gate 精选联盟 is named twice"},
		{"a=51,b=52,c=53,d=54,e=55,f=56,g=57,h=58,i=59", "", "a shop keeps at most 8"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			gates, err := ParseGates(tt.in)
			if tt.err != "" {
				if err == nil || ErrorCode(err) != EINVALID || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("ParseGates(%q) error = %v, want one saying %q", tt.in, err, tt.err)
				}
				return
			}
			if err != nil || FormatGates(gates) != tt.want {
				t.Fatalf("ParseGates(%q) = %q, %v; want %q", tt.in, FormatGates(gates), err, tt.want)
			}
		})
	}
}

func TestNearestGates(t *testing.T) {
	// 0 means no gate.
	tests := []struct {
		gates        string
		score        float64
		below, above float64
		belowName    string
	}{
		{"", 59.9, 0, 60, ""},
		{"", 60, 60, 70, "千川投放"},
		{"", 69.9, 60, 70, "千川投放"},
		{"", 70, 70, 0, "精选联盟"},
		{"", 95, 70, 0, "精选联盟"},
		{"精选联盟=75,超级福袋=80", 74.9, 0, 75, ""},
		{"精选联盟=75,超级福袋=80", 79.5, 75, 80, "精选联盟"},
		{"精选联盟=75,超级福袋=80", 80, 80, 0, "超级福袋"},
	}
	score := func(g *Gate) float64 {
		if g == nil {
			return 0
		}
		return g.Score
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.gates, tt.score), func(t *testing.T) {
			shop := &Shop{Gates: tt.gates}
			below, above := shop.NearestGates(tt.score)
			if score(below) != tt.below || score(above) != tt.above {
				t.Fatalf("NearestGates(%v) = (%v, %v), want (%v, %v)", tt.score, score(below), score(above), tt.below, tt.above)
			}
			if below != nil && below.Name != tt.belowName {
				t.Errorf("below gate name = %q, want %q", below.Name, tt.belowName)
			}
		})
	}
}
