package bot

import "testing"

func TestCommandVerb(t *testing.T) {
	for text, want := range map[string]string{
		"":                      "help",
		"today dy-fashion":      "today",
		"今天":                    "today",
		"assign":                "assign", // wrong arguments: still the verb
		"reviews dy-fashion 12": "reviews",
		"R123 @alice":           "assign",
		"buy me a 鞋子 please":    "unknown",
	} {
		if got := CommandVerb(text); got != want {
			t.Errorf("CommandVerb(%q) = %q, want %q", text, got, want)
		}
	}
}
