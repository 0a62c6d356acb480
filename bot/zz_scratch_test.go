package bot

import (
	"fmt"
	"strings"
	"testing"
)

func TestZZScratch(t *testing.T) {
	refs := catalogRefs(t)
	fmt.Println(len(refs.keys), len(refs.prefixes), len(refs.literals))
	for _, p := range refs.prefixes {
		fmt.Println("prefix", p.pos, p.key)
	}
	spaces := map[string]bool{}
	for k := range catalog {
		if ns, _, ok := strings.Cut(k, "."); ok {
			spaces[ns] = true
		}
	}
	n := 0
	for _, r := range refs.literals {
		ns, _, _ := strings.Cut(r.key, ".")
		if spaces[ns] && keyLike.MatchString(r.key) {
			n++
			if strings.Contains(r.key, "change") || strings.Contains(r.key, "count") || strings.HasSuffix(r.key, ".") {
				fmt.Println("lit", r.pos, r.key)
			}
		}
	}
	fmt.Println("keylike literals", n)
	// simulate a missing key
	used := map[string]bool{}
	for _, r := range refs.keys {
		used[r.key] = true
	}
	for _, r := range refs.literals {
		if _, ok := catalog[r.key]; ok {
			used[r.key] = true
		}
	}
	for k := range catalog {
		if !used[k] && !strings.HasPrefix(k, "aspect.") && !strings.HasPrefix(k, "outcome.") && !strings.HasPrefix(k, "dim.") && !strings.HasPrefix(k, "event.") && !strings.HasPrefix(k, "platform.") {
			fmt.Println("unused?", k)
		}
	}
}
