package storage

import (
	"fmt"
	"math"
	"testing"
)

func TestFivePoint(t *testing.T) {
	tests := []struct {
		score float64
		want  float64
	}{
		{100, 5.0},
		{97, 5.0},
		{96.9, 4.9}, // a step is reached at its lower bound, never by rounding up
		{96, 4.9},
		{93, 4.9},
		{92, 4.8},
		{89, 4.8},
		{88, 4.7},
		{61, 4.1},
		{60.5, 4.0},
		{60, 4.0},
		{59, 4.0}, // below 60 the four-point steps continue: 57-59 still 4.0
		{57, 4.0},
		{56, 3.9},
		{53, 3.9},
		{50, 3.8},
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

func TestNearestGates(t *testing.T) {
	// 0 means no gate.
	tests := []struct {
		score        float64
		below, above float64
		belowName    string
	}{
		{59.9, 0, 60, ""},
		{60, 60, 70, "抖音商城"},
		{69.9, 60, 70, "抖音商城"},
		{70, 70, 80, "精选联盟"},
		{79.5, 70, 80, "精选联盟"},
		{80, 80, 0, "超级福袋"},
		{95, 80, 0, "超级福袋"},
	}
	score := func(g *Gate) float64 {
		if g == nil {
			return 0
		}
		return g.Score
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.score), func(t *testing.T) {
			below, above := NearestGates(tt.score)
			if score(below) != tt.below || score(above) != tt.above {
				t.Fatalf("NearestGates(%v) = (%v, %v), want (%v, %v)", tt.score, score(below), score(above), tt.below, tt.above)
			}
			if below != nil && below.Name != tt.belowName {
				t.Errorf("below gate name = %q, want %q", below.Name, tt.belowName)
			}
		})
	}
}
