package bot

import (
	"reflect"
	"strings"
	"testing"
)

// TestCommandTable: every verb of the grammar is defined once and whole
// (a form, a parser, a handler unless it is help), its keywords and help
// lines are real, and help keeps its order, which the table decides.
func TestCommandTable(t *testing.T) {
	verbs := []verb{verbToday, verbReviews, verbLate, verbHelp, verbAssign, verbDone, verbMine, verbBind, verbSchedule, verbClaim, verbReopen, verbStatus, verbOwner, verbSettings, verbProducts, verbRecover, verbChart, verbWhy}
	if len(commands) != len(verbs) {
		t.Errorf("%d commands for %d verbs", len(commands), len(verbs))
	}
	groups := map[string]bool{}
	for _, s := range helpSections {
		groups[s.heading] = true
	}
	for _, v := range verbs {
		c, ok := byVerb[v]
		if !ok {
			t.Errorf("verb %s has no command", v)
			continue
		}
		if c.usage == "" || c.parse == nil || len(c.words) == 0 {
			t.Errorf("%s: usage %q, parse set %v, words %v: all are required", v, c.usage, c.parse != nil, c.words)
		}
		if (c.handle == nil) != (v == verbHelp) {
			t.Errorf("%s: handler set %v; only help has none", v, c.handle != nil)
		}
		if c.words[0] != string(v) {
			t.Errorf("%s: its first keyword is %q, not the verb itself", v, c.words[0])
		}
		if len(c.help) > 0 && !groups[c.group] {
			t.Errorf("%s: help group %q is no section of help", v, c.group)
		}
		for _, k := range c.help {
			if _, ok := catalog[k]; !ok {
				t.Errorf("%s: help line %q is not in the catalogue", v, k)
			}
		}
		for _, w := range c.words {
			if got := verbWords[w]; got != v {
				t.Errorf("keyword %q says %q, want %s", w, got, v)
			}
		}
	}
	// Help's order, as it was before the table.
	want := [][]string{
		{"help.look", "help.today", "help.reviews", "help.late", "help.why", "help.products", "help.recover", "help.chart"},
		{"help.follow", "help.assign", "help.done", "help.claim", "help.mine", "help.outcomes"},
		{"help.setup", "help.bind", "help.owner", "help.schedule", "help.settings"},
	}
	var got [][]string
	for _, g := range helpGroups {
		got = append(got, append([]string{g.heading}, g.keys...))
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("help is\n%v, want\n%v", got, want)
	}
	// Each verb parses from each of its keywords alone, or refuses with
	// its own form; none parses to help by mistake.
	for _, c := range commands {
		for _, w := range c.words {
			cmd, err := Parse(w)
			if pe, ok := err.(*parseError); ok && pe.key == "err.usage" {
				if pe.verb != c.verb || !strings.Contains(pe.Error(), c.usage) {
					t.Errorf("%q refused as %s: %v", w, pe.verb, pe)
				}
				continue
			}
			if err != nil {
				t.Errorf("%q: %v", w, err)
				continue
			}
			if want := c.verb; cmd.Verb != want && !(c.verb == verbMine && cmd.Verb == verbReviews) {
				t.Errorf("%q parsed as %s, want %s", w, cmd.Verb, want)
			}
		}
	}
}
