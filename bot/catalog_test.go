package bot

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/dsrbot/dsrbot/storage"
)

// fmtVerb is one formatting verb of a catalogue sentence: the argument it
// reads (0-based) and its letter.
type fmtVerb struct {
	arg  int
	char rune
}

// fmtVerbs reads the verbs of a format string as package fmt does: "%%" is a
// literal percent sign, flags, width and precision may come before the
// letter, and an explicit index %[n] moves the argument the verb reads (and
// those after it).
func fmtVerbs(format string) []fmtVerb {
	var out []fmtVerb
	rs := []rune(format)
	next := 0
	for i := 0; i < len(rs); i++ {
		if rs[i] != '%' {
			continue
		}
		i++
		if i >= len(rs) {
			break
		}
		if rs[i] == '%' {
			continue
		}
		index := func() {
			if i < len(rs) && rs[i] == '[' {
				j := i + 1
				for j < len(rs) && rs[j] != ']' {
					j++
				}
				if n, err := strconv.Atoi(string(rs[i+1 : j])); err == nil {
					next = n - 1
				}
				i = j + 1
			}
		}
		for i < len(rs) && strings.ContainsRune("+-# 0", rs[i]) {
			i++
		}
		index()
		for i < len(rs) && (rs[i] >= '0' && rs[i] <= '9' || rs[i] == '*') {
			i++
		}
		if i < len(rs) && rs[i] == '.' {
			i++
			for i < len(rs) && rs[i] >= '0' && rs[i] <= '9' {
				i++
			}
		}
		index()
		if i < len(rs) {
			out = append(out, fmtVerb{next, rs[i]})
			next++
		}
	}
	return out
}

func TestFmtVerbs(t *testing.T) {
	tests := []struct {
		format string
		want   []fmtVerb
	}{
		{"no verbs", nil},
		{"100%%", nil},
		{"%%d", nil},
		{"%s", []fmtVerb{{0, 's'}}},
		{"%d%%: %s", []fmtVerb{{0, 'd'}, {1, 's'}}},
		{"%.1f and %5.2f and %-3d and %q", []fmtVerb{{0, 'f'}, {1, 'f'}, {2, 'd'}, {3, 'q'}}},
		{"%[2]s then %[1]s", []fmtVerb{{1, 's'}, {0, 's'}}},
		{"%[2]s %s", []fmtVerb{{1, 's'}, {2, 's'}}},
		{"%[1]s / %[1]s", []fmtVerb{{0, 's'}, {0, 's'}}},
		{"%[2]d 条「%[3]s」", []fmtVerb{{1, 'd'}, {2, 's'}}},
	}
	for _, tt := range tests {
		if got := fmtVerbs(tt.format); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("fmtVerbs(%q) = %v, want %v", tt.format, got, tt.want)
		}
	}
}

// verbClass groups verbs by the kind of argument they take.
func verbClass(c rune) string {
	switch c {
	case 'd':
		return "int"
	case 'f', 'g', 'e':
		return "float"
	default:
		return "string"
	}
}

// argsOf is what a sentence takes: the class of each argument in order, and
// an error when an argument is skipped or read as two kinds.
func argsOf(format string) ([]string, error) {
	classes := map[int]string{}
	for _, v := range fmtVerbs(format) {
		c := verbClass(v.char)
		if old, ok := classes[v.arg]; ok && old != c {
			return nil, fmt.Errorf("argument %d is read as %s and as %s", v.arg+1, old, c)
		}
		classes[v.arg] = c
	}
	out := make([]string, len(classes))
	for i := range out {
		c, ok := classes[i]
		if !ok {
			return nil, fmt.Errorf("argument %d is never used", i+1)
		}
		out[i] = c
	}
	return out, nil
}

// sampleArgs are arguments of the right kinds for a sentence.
func sampleArgs(classes []string) []any {
	args := make([]any, len(classes))
	for i, c := range classes {
		switch c {
		case "int":
			args[i] = 7
		case "float":
			args[i] = 1.5
		default:
			args[i] = "x"
		}
	}
	return args
}

// TestCatalogCompleteness: every sentence exists in both languages, takes
// the same arguments in both (in any order), formats without a %! error,
// and every key the code asks for is in the catalogue.
func TestCatalogCompleteness(t *testing.T) {
	t.Run("languages", func(t *testing.T) {
		for key, e := range catalog {
			if strings.TrimSpace(e[en]) == "" || strings.TrimSpace(e[zh]) == "" {
				t.Errorf("%s: English %q, Chinese %q: both are required", key, e[en], e[zh])
				continue
			}
			if ne, nz := len(fmtVerbs(e[en])), len(fmtVerbs(e[zh])); ne != nz {
				t.Errorf("%s: %d verbs in English, %d in Chinese", key, ne, nz)
			}
			enArgs, err := argsOf(e[en])
			if err != nil {
				t.Errorf("%s (English): %v", key, err)
				continue
			}
			zhArgs, err := argsOf(e[zh])
			if err != nil {
				t.Errorf("%s (Chinese): %v", key, err)
				continue
			}
			if !reflect.DeepEqual(enArgs, zhArgs) {
				t.Errorf("%s: English takes %v, Chinese %v", key, enArgs, zhArgs)
				continue
			}
			args := sampleArgs(enArgs)
			for _, l := range []lang{en, zh} {
				if out := l.t(key, args...); strings.Contains(out, "%!") {
					t.Errorf("%s: formats as %q", key, out)
				}
			}
		}
	})

	t.Run("keys in source", func(t *testing.T) {
		refs := catalogRefs(t)
		if len(refs.keys) < 50 {
			t.Fatalf("found only %d keys in the source: the scan is broken", len(refs.keys))
		}
		for _, r := range refs.keys {
			if _, ok := catalog[r.key]; !ok {
				t.Errorf("%s: key %q is not in the catalogue", r.pos, r.key)
			}
		}
		for _, r := range refs.prefixes {
			if !hasKeyWithPrefix(r.key) {
				t.Errorf("%s: no catalogue key starts with %q", r.pos, r.key)
			}
		}
		// Keys handed on before they reach t (cmp(r.Prev, 1,
		// "card.change.day")): any literal in a catalogue namespace must
		// be a key, or the start of keys built from it.
		spaces := map[string]bool{}
		for k := range catalog {
			if ns, _, ok := strings.Cut(k, "."); ok {
				spaces[ns] = true
			}
		}
		for _, r := range refs.literals {
			ns, _, _ := strings.Cut(r.key, ".")
			if !spaces[ns] || !keyLike.MatchString(r.key) {
				continue
			}
			if _, ok := catalog[r.key]; !ok && !(strings.HasSuffix(r.key, ".") && hasKeyWithPrefix(r.key)) {
				t.Errorf("%s: %q looks like a catalogue key but is not one", r.pos, r.key)
			}
		}
	})

	t.Run("dynamic keys", func(t *testing.T) {
		var keys []string
		for _, a := range storage.Aspects {
			keys = append(keys, "aspect."+string(a), "cluster.advice."+string(a))
		}
		for _, o := range []string{"refund", "resend", "compensate", "gift", "explained", "no_action"} {
			keys = append(keys, "outcome."+o)
		}
		for _, o := range storage.Outcomes {
			keys = append(keys, "outcome."+o)
		}
		for _, p := range []storage.Platform{storage.Douyin, storage.Taobao} {
			keys = append(keys, "platform."+string(p))
			for _, d := range []storage.Dimension{storage.DimProduct, storage.DimLogistics, storage.DimService} {
				keys = append(keys, "dim."+string(p)+"."+string(d))
			}
		}
		for _, f := range []string{"open", "mine", "all"} {
			keys = append(keys, "reviews.title."+f)
		}
		for _, e := range []string{"assigned", "auto-assigned", "closed", "reopened"} {
			keys = append(keys, "event."+e)
		}
		for _, g := range helpGroups {
			keys = append(keys, g.heading)
			keys = append(keys, g.keys...)
		}
		for _, k := range keys {
			if _, ok := catalog[k]; !ok {
				t.Errorf("key %q is built at run time but not in the catalogue", k)
			}
		}
	})
}

func hasKeyWithPrefix(prefix string) bool {
	for k := range catalog {
		if strings.HasPrefix(k, prefix) {
			return true
		}
	}
	return false
}

type keyRef struct {
	pos token.Position
	key string
}

type keyRefs struct {
	keys     []keyRef // whole keys
	prefixes []keyRef // "aspect." of "aspect."+x
	literals []keyRef // every string literal
}

// keyLike is the shape of a catalogue key, or of the prefix of one.
var keyLike = regexp.MustCompile(`^[a-z]+(\.[a-z_-]+)*\.[a-z_-]*$`)

// catalogRefs finds the catalogue keys in the package's non-test source:
// the first argument of every call of a method t (a literal, a literal
// prefix of a concatenation, or a local variable set from literals), and
// the key of every parseError literal.
func catalogRefs(t *testing.T) keyRefs {
	t.Helper()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(names)
	fset := token.NewFileSet()
	var refs keyRefs
	str := func(e ast.Expr) (string, bool) {
		lit, ok := e.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(lit.Value)
		return s, err == nil
	}
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		// Literals assigned to local variables, by function and name.
		assigned := map[*ast.FuncDecl]map[string][]string{}
		var fn *ast.FuncDecl
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncDecl:
				fn = n
				assigned[fn] = map[string][]string{}
			case *ast.AssignStmt:
				if fn == nil || len(n.Lhs) != len(n.Rhs) {
					break
				}
				for i, lhs := range n.Lhs {
					if id, ok := lhs.(*ast.Ident); ok {
						if s, ok := str(n.Rhs[i]); ok {
							assigned[fn][id.Name] = append(assigned[fn][id.Name], s)
						}
					}
				}
			}
			return true
		})
		fn = nil
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncDecl:
				fn = n
			case *ast.BasicLit:
				if s, ok := str(n); ok {
					refs.literals = append(refs.literals, keyRef{fset.Position(n.Pos()), s})
				}
			case *ast.CompositeLit:
				if id, ok := n.Type.(*ast.Ident); ok && id.Name == "parseError" {
					for _, el := range n.Elts {
						if kv, ok := el.(*ast.KeyValueExpr); ok {
							if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "key" {
								if s, ok := str(kv.Value); ok {
									refs.keys = append(refs.keys, keyRef{fset.Position(kv.Pos()), s})
								}
							}
						}
					}
				}
			case *ast.CallExpr:
				sel, ok := n.Fun.(*ast.SelectorExpr)
				if !ok || sel.Sel.Name != "t" || len(n.Args) == 0 {
					break
				}
				pos := fset.Position(n.Pos())
				switch a := n.Args[0].(type) {
				case *ast.BasicLit:
					if s, ok := str(a); ok {
						refs.keys = append(refs.keys, keyRef{pos, s})
					}
				case *ast.BinaryExpr:
					left := ast.Expr(a)
					for {
						b, ok := left.(*ast.BinaryExpr)
						if !ok {
							break
						}
						left = b.X
					}
					if s, ok := str(left); ok {
						refs.prefixes = append(refs.prefixes, keyRef{pos, s})
					}
				case *ast.Ident:
					if fn != nil {
						for _, s := range assigned[fn][a.Name] {
							refs.keys = append(refs.keys, keyRef{pos, s})
						}
					}
				}
			}
			return true
		})
	}
	return refs
}
