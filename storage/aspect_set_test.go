package storage

import (
	"bufio"
	"flag"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
)

// The labelled set is the classifier's measure: a rule that helps one review
// and hurts three shows up here, not in a merchant's channel.
var (
	aspectMisses = flag.String("aspect-misses", "", "print the reviews TestAspectSet gets wrong: tune, heldout, fresh or all")
	aspectReadme = flag.Bool("aspect-readme", false, "rewrite the aspect table in ../README.md between its markers")
)

// aspectFloor is the least top-aspect precision and recall the whole set may
// show; under it, routing sends one review in ten to the wrong person.
const aspectFloor = 0.90

// labelled is one line of testdata/aspects.tsv.
type labelled struct {
	line    int
	text    string
	want    []Aspect
	heldOut bool // every third line before the fresh section
	fresh   bool // written after the classifier was frozen
}

// freshMarker starts the lines written after the classifier was frozen and
// scored once: the least biased figure the set gives.
const freshMarker = "#fresh"

// loadAspectSet reads testdata/aspects.tsv. Every third data line before the
// fresh section is held out: the fixed split keeps tuning honest, since
// those lines are never printed while rules are being tried (see
// -aspect-misses), and neither are the fresh lines.
func loadAspectSet(t testing.TB) []labelled {
	t.Helper()
	f, err := os.Open("../testdata/aspects.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var set []labelled
	fresh, early := false, 0
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.HasPrefix(line, freshMarker) {
			fresh = true
		}
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		text, labels, ok := strings.Cut(line, "\t")
		if !ok || strings.TrimSpace(text) == "" {
			t.Fatalf("aspects.tsv:%d: want text<TAB>aspects", n)
		}
		var want []Aspect
		for _, l := range strings.Split(labels, ",") {
			a := Aspect(strings.TrimSpace(l))
			if !slices.Contains(Aspects, a) || slices.Contains(want, a) {
				t.Fatalf("aspects.tsv:%d: %q is not an aspect, or is named twice", n, l)
			}
			want = append(want, a)
		}
		r := labelled{line: n, text: text, want: want, fresh: fresh}
		if !fresh {
			r.heldOut = early%3 == 2
			early++
		}
		set = append(set, r)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return set
}

// counts are one aspect's true positives, false positives and false negatives.
type counts struct{ tp, fp, fn int }

func (c counts) precision() float64 { return ratio(c.tp, c.tp+c.fp) }
func (c counts) recall() float64    { return ratio(c.tp, c.tp+c.fn) }

// ratio is a/b, NaN (shown as "–") when nothing was counted: an aspect the
// classifier never answered has no precision, not a perfect one.
func ratio(a, b int) float64 {
	if b == 0 {
		return math.NaN()
	}
	return float64(a) / float64(b)
}

// aspectScore is the classifier measured on some reviews: per aspect, the top
// aspect (first label against first answer: who gets the review) and any
// aspect (label sets: what a cluster alert counts).
type aspectScore struct {
	n        int
	top, any map[Aspect]counts
	topHit   int
	misses   []string
}

func scoreAspects(set []labelled) aspectScore {
	s := aspectScore{top: map[Aspect]counts{}, any: map[Aspect]counts{}}
	for _, r := range set {
		got := Classify(r.text)
		s.n++
		if got[0] == r.want[0] {
			s.topHit++
			c := s.top[got[0]]
			c.tp++
			s.top[got[0]] = c
		} else {
			c := s.top[got[0]]
			c.fp++
			s.top[got[0]] = c
			c = s.top[r.want[0]]
			c.fn++
			s.top[r.want[0]] = c
		}
		for _, a := range Aspects {
			g, w := slices.Contains(got, a), slices.Contains(r.want, a)
			c := s.any[a]
			switch {
			case g && w:
				c.tp++
			case g:
				c.fp++
			case w:
				c.fn++
			}
			s.any[a] = c
		}
		if !slices.Equal(got, r.want) {
			var why []finding
			classify(r.text, nil, &why)
			s.misses = append(s.misses, fmt.Sprintf("aspects.tsv:%d: %s\n\twant %v, got %v from %v", r.line, r.text, r.want, got, why))
		}
	}
	return s
}

// micro is the top-aspect precision over every review: with one top aspect
// each, it equals the recall and the accuracy.
func (s aspectScore) micro() float64 { return ratio(s.topHit, s.n) }

// macro averages precision and recall over the aspects the set holds, so a
// small aspect that is always wrong cannot hide behind quality's volume.
func (s aspectScore) macro() (p, r float64) {
	n := 0
	for _, a := range Aspects {
		c := s.top[a]
		if c.tp+c.fn == 0 {
			continue
		}
		if c.tp+c.fp > 0 { // never answered: precision 0
			p += c.precision()
		}
		r += c.recall()
		n++
	}
	if n == 0 {
		return math.NaN(), math.NaN()
	}
	return p / float64(n), r / float64(n)
}

func pct(f float64) string {
	if f != f { // no reviews: NaN
		return "–"
	}
	return fmt.Sprintf("%.0f%%", 100*f)
}

// aspectTable is the README's table: per aspect, top-aspect precision and
// recall on the tuning lines, the held-out lines, the fresh lines and the
// whole set, and any-aspect precision and recall on the whole set.
func aspectTable(tune, held, fresh, all aspectScore) string {
	var b strings.Builder
	pr := func(c counts) string { return pct(c.precision()) + " / " + pct(c.recall()) }
	b.WriteString("| aspect | reviews (top) | top P / R: tuning | held out | fresh | all | any P / R: all |\n")
	b.WriteString("|---|---:|---|---|---|---|---|\n")
	for _, a := range Aspects {
		c := all.top[a]
		fmt.Fprintf(&b, "| %s | %d | %s | %s | %s | %s | %s |\n", a, c.tp+c.fn,
			pr(tune.top[a]), pr(held.top[a]), pr(fresh.top[a]), pr(c), pr(all.any[a]))
	}
	macro := func(s aspectScore) string {
		p, r := s.macro()
		return pct(p) + " / " + pct(r)
	}
	fmt.Fprintf(&b, "| **micro** (= accuracy) | %d | %s (%d) | %s (%d) | %s (%d) | %s | %s / %s |\n", all.n,
		pct(tune.micro()), tune.n, pct(held.micro()), held.n, pct(fresh.micro()), fresh.n, pct(all.micro()),
		pct(anyMicroP(all)), pct(anyMicroR(all)))
	fmt.Fprintf(&b, "| **macro** | | %s | %s | %s | %s | |\n", macro(tune), macro(held), macro(fresh), macro(all))
	return b.String()
}

func anyMicroP(s aspectScore) float64 {
	var c counts
	for _, x := range s.any {
		c.tp, c.fp = c.tp+x.tp, c.fp+x.fp
	}
	return c.precision()
}

func anyMicroR(s aspectScore) float64 {
	var c counts
	for _, x := range s.any {
		c.tp, c.fn = c.tp+x.tp, c.fn+x.fn
	}
	return c.recall()
}

// TestAspectSet measures Classify on testdata/aspects.tsv and prints the
// README table with -v; -aspect-readme rewrites it in the README.
func TestAspectSet(t *testing.T) {
	set := loadAspectSet(t)
	var tuneSet, heldSet, freshSet []labelled
	for _, r := range set {
		switch {
		case r.fresh:
			freshSet = append(freshSet, r)
		case r.heldOut:
			heldSet = append(heldSet, r)
		default:
			tuneSet = append(tuneSet, r)
		}
	}
	tune, held, fresh, all := scoreAspects(tuneSet), scoreAspects(heldSet), scoreAspects(freshSet), scoreAspects(set)
	table := aspectTable(tune, held, fresh, all)
	t.Logf("%d reviews: %d tuning, %d held out, %d fresh\n%s", len(set), len(tuneSet), len(heldSet), len(freshSet), table)
	switch *aspectMisses {
	case "tune":
		t.Log("\n" + strings.Join(tune.misses, "\n"))
	case "heldout":
		t.Log("\n" + strings.Join(held.misses, "\n"))
	case "fresh":
		t.Log("\n" + strings.Join(fresh.misses, "\n"))
	case "all":
		t.Log("\n" + strings.Join(all.misses, "\n"))
	}
	if *aspectReadme {
		if err := rewriteReadmeTable("../README.md", table); err != nil {
			t.Fatal(err)
		}
	}
	if len(set) < 300 {
		t.Errorf("the set has %d reviews; it needs at least 300 to mean anything", len(set))
	}
	if p, r := all.macro(); all.micro() < aspectFloor || p < aspectFloor || r < aspectFloor {
		t.Errorf("top-aspect precision/recall on the whole set: micro %s, macro %s / %s; the floor is %s",
			pct(all.micro()), pct(p), pct(r), pct(aspectFloor))
	}
}

const (
	readmeBegin = "<!-- aspect-table:begin (go test ./storage -run TestAspectSet -aspect-readme) -->"
	readmeEnd   = "<!-- aspect-table:end -->"
)

// rewriteReadmeTable replaces the text between the README's markers, so the
// figures there are always the ones the test measured.
func rewriteReadmeTable(path, table string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	s := string(b)
	i, j := strings.Index(s, readmeBegin), strings.Index(s, readmeEnd)
	if i < 0 || j < i {
		return fmt.Errorf("%s: no %q ... %q markers", path, readmeBegin, readmeEnd)
	}
	s = s[:i+len(readmeBegin)] + "\n" + table + s[j:]
	return os.WriteFile(path, []byte(s), 0o644)
}
