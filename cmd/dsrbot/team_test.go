package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// A shop's Slack workspace is set from the CLI only: shop add --team,
// shop set --team (and --team - for none), shown by shop list.
func TestShopTeam(t *testing.T) {
	db := filepath.Join(t.TempDir(), "dsrbot.db")
	steps := []struct {
		name string
		args []string
		code int
		// want is in stdout for a success, in stderr for a failure.
		want string
	}{
		{"add with a team", []string{"shop", "add", "s1", "--name", "One", "--platform", "douyin", "--team", "T0AGENCY"}, 0,
			"shop s1 belongs to Slack workspace T0AGENCY"},
		{"add without one says how to claim it", []string{"shop", "add", "s2", "--name", "Two", "--platform", "taobao"}, 0,
			"shop s2 belongs to no Slack workspace: only this machine (the CLI, the local shell) uses it; Slack sees it once an admin runs dsrbot shop set s2 --team T…"},
		{"add with a workspace's name", []string{"shop", "add", "s3", "--name", "Three", "--platform", "douyin", "--team", "acme"}, 2,
			`--team takes a Slack team ID (T and capital letters or digits, such as T024BE7LD; /dsr in Slack tells it), or - for none, not "acme"`},
		{"set claims", []string{"shop", "set", "s2", "--team", "T0AGENCY"}, 0, "shop s2 belongs to Slack workspace T0AGENCY"},
		{"set moves", []string{"shop", "set", "s1", "--team", "T0OTHER9"}, 0, "shop s1 belongs to Slack workspace T0OTHER9"},
		{"set lower case", []string{"shop", "set", "s1", "--team", "t0other9"}, 2, `--team takes a Slack team ID`},
		{"set - clears", []string{"shop", "set", "s2", "--team", "-"}, 0, "shop s2 belongs to no Slack workspace"},
		{"set an unknown shop", []string{"shop", "set", "nope", "--team", "T1"}, 1, `no shop "nope"`},
	}
	for _, st := range steps {
		out, errOut, code := run(t, db, "", st.args...)
		got := out
		if st.code != 0 {
			got = errOut
		}
		if code != st.code || !strings.Contains(got, st.want) {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want exit %d with %q", st.name, code, out, errOut, st.code, st.want)
		}
	}
	// Other settings leave the workspace as it is, and say nothing of it.
	if out := mustRun(t, db, "shop", "set", "s1", "--lang", "zh"); strings.Contains(out, "workspace") {
		t.Errorf("shop set --lang printed %q", out)
	}
	list := mustRun(t, db, "shop", "list")
	for _, want := range []string{"s1               douyin  -        T0OTHER9    zh ", "s2               taobao  -        -           en "} {
		if !strings.Contains(list, want) {
			t.Errorf("shop list lacks %q:\n%s", want, list)
		}
	}
	if strings.Contains(list, "s3") {
		t.Errorf("a refused shop add made a shop:\n%s", list)
	}
	// The local shell is the operator's: it reads and changes a shop of no
	// workspace (s2) as before.
	out, _, _ := run(t, db, "/dsr today s2\n/dsr today\n")
	if !strings.Contains(out, "Two · s2 · Taobao") || !strings.Contains(out, "s1 ") {
		t.Errorf("the shell:\n%s", out)
	}
}
