package storage

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Gate is a named threshold on a Douyin 商家体验分 below which a shop loses
// access to a channel of traffic or a tool.
type Gate struct {
	Name  string // the platform's own name, such as 精选联盟
	Score float64
}

// DefaultGates are the gates of a shop that has not set its own, lowest
// first. The README names the rule behind each; the lines vary by category,
// so a shop sets its own with `dsrbot shop set ID --gates 精选联盟=70,...`.
var DefaultGates = []Gate{
	{Name: "千川投放", Score: 60},
	{Name: "精选联盟", Score: 70},
}

// maxGates bounds a shop's list: a card line names two of them, and a
// settings string must stay readable.
const maxGates = 8

// ParseGates reads a shop's gates as `--gates` takes them:
// "精选联盟=70,千川投放=60" (also with ：/，/、 and spaces). Empty, or
// "default", is the defaults, returned as nil.
func ParseGates(s string) ([]Gate, error) {
	s = strings.TrimSpace(s)
	if s == "" || strings.EqualFold(s, "default") {
		return nil, nil
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == '、' || r == ';' || r == '；' })
	gates := make([]Gate, 0, len(parts))
	seen := map[string]bool{}
	for _, p := range parts {
		name, value, ok := strings.Cut(strings.ReplaceAll(p, "＝", "="), "=")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if !ok || name == "" || value == "" {
			return nil, Errorf(EINVALID, "gate %q: write NAME=SCORE, such as 精选联盟=70", strings.TrimSpace(p))
		}
		v, err := strconv.ParseFloat(value, 64)
		if err != nil || v < 50 || v > 100 {
			return nil, Errorf(EINVALID, "gate %s: %q is not a score from 50 to 100", name, value)
		}
		if seen[name] {
			return nil, Errorf(EINVALID, "gate %s is named twice", name)
		}
		seen[name] = true
		gates = append(gates, Gate{Name: name, Score: v})
	}
	if len(gates) > maxGates {
		return nil, Errorf(EINVALID, "%d gates: a shop keeps at most %d", len(gates), maxGates)
	}
	sortGates(gates)
	return gates, nil
}

// FormatGates writes gates the way ParseGates reads them, lowest first.
func FormatGates(gates []Gate) string {
	parts := make([]string, len(gates))
	for i, g := range gates {
		parts[i] = g.Name + "=" + strconv.FormatFloat(g.Score, 'f', -1, 64)
	}
	return strings.Join(parts, ",")
}

// GateList returns the shop's gates, lowest first: its own, else the
// defaults. A stored list that no longer parses (it was checked when saved)
// falls back to the defaults rather than to no gates at all.
func (s *Shop) GateList() []Gate {
	if gates, err := ParseGates(s.Gates); err == nil && gates != nil {
		return gates
	}
	return DefaultGates
}

// NearestGates returns, of the shop's gates, the highest at or below score
// (the one the shop could lose) and the lowest above it (the next one to
// reach). Either is nil when there is none. Pass the Shown score.
func (s *Shop) NearestGates(score float64) (below, above *Gate) {
	gates := s.GateList()
	for i := range gates {
		g := &gates[i]
		if score >= g.Score {
			below = g
		} else if above == nil {
			above = g
		}
	}
	return below, above
}

func sortGates(gates []Gate) {
	sort.SliceStable(gates, func(i, j int) bool { return gates[i].Score < gates[j].Score })
}

// String is how a gate is named in messages and settings: 精选联盟 70.
func (g Gate) String() string { return fmt.Sprintf("%s %g", g.Name, g.Score) }
