package bot_test

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestTransportLongSlashTextIsQuotedCut: a 100 KB slash command is quoted
// back cut, the same in the answer's text and in its block, not whole in
// the text beside a block that says "and 1 more".
func TestTransportLongSlashTextIsQuotedCut(t *testing.T) {
	e := trNewEnv(t)
	big := strings.Repeat("x", 100_000)
	for _, text := range []string{big, "today " + big, "status " + big} {
		r := e.slash(text, trAlice, "C1", e.fake.ResponseURL("big"))
		if n := utf8.RuneCountInString(r.Text); n > 500 {
			t.Errorf("%.20s…: a %d-character answer", text, n)
		}
		if len(r.Blocks) != 1 {
			t.Fatalf("%.20s…: %d blocks, want 1", text, len(r.Blocks))
		}
		block := trStrings(r.Blocks[0])
		if strings.Contains(block, "more") || !strings.Contains(block, strings.TrimSuffix(r.Text, "\n")) {
			t.Errorf("%.20s…: the block says other than the text:\n--- block\n%s\n--- text\n%s", text, block, r.Text)
		}
		if !strings.Contains(r.Text, strings.Repeat("x", 150)) || !strings.Contains(r.Text, "…") {
			t.Errorf("%.20s…: the answer does not quote the start, cut: %s", text, r.Text)
		}
	}
}
