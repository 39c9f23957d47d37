package text

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestCatalogueTranslatesEveryMessage reads every Go file of the module and
// fails for a message id without a Dutch translation: the first argument
// of a Printer's Sprintf or Text, of N and M, and the format of the core's
// Errorf, wherever it is a constant string.
func TestCatalogueTranslatesEveryMessage(t *testing.T) {
	ids := messageIDs(t)
	if len(ids) == 0 {
		t.Fatal("found no message ids in the module")
	}
	var missing []string
	for id, at := range ids {
		if _, ok := dutch[id]; !ok {
			missing = append(missing, at+": "+strconv.Quote(id))
		}
	}
	slices.Sort(missing)
	for _, m := range missing {
		t.Errorf("no Dutch translation: %s", m)
	}
}

// TestCatalogueHoldsOnlyUsedMessages fails for a translation whose id no
// code says any more: it would hide a message changed in English but not
// in Dutch.
func TestCatalogueHoldsOnlyUsedMessages(t *testing.T) {
	ids := messageIDs(t)
	for id := range dutch {
		if _, ok := ids[id]; !ok {
			t.Errorf("the catalogue translates %q, which no code says", id)
		}
	}
}

// TestTranslationsKeepTheirVerbs fails for a translation that formats
// other values than its id: a %d that became %s, an argument dropped.
func TestTranslationsKeepTheirVerbs(t *testing.T) {
	for id, nl := range dutch {
		if got, want := verbs(nl), verbs(id); !slices.Equal(got, want) {
			t.Errorf("%q has the verbs %v, its translation %q has %v", id, want, nl, got)
		}
	}
}

// TestPartsAgree fails when two parts of the catalogue translate one id
// differently: only one of them would be said.
func TestPartsAgree(t *testing.T) {
	seen := map[string]string{}
	for _, part := range []map[string]string{coreDutch, eventsDutch, chatDutch, queryDutch} {
		for id, nl := range part {
			if prev, ok := seen[id]; ok && prev != nl {
				t.Errorf("%q is translated both %q and %q", id, prev, nl)
			}
			seen[id] = nl
		}
	}
}

var verbPattern = regexp.MustCompile(`%(?:\[(\d+)\])?[-+# 0]*\d*(?:\.\d+)?([a-zA-Z%])`)

// verbs are the verbs of a format, by argument, "%%" left out: %[2]s and
// %s in second place are the same verb.
func verbs(format string) []string {
	var out []string
	next := 1
	byArg := map[int]string{}
	for _, m := range verbPattern.FindAllStringSubmatch(format, -1) {
		if m[2] == "%" {
			continue
		}
		arg := next
		if m[1] != "" {
			arg, _ = strconv.Atoi(m[1])
		}
		byArg[arg] = m[2]
		next = arg + 1
	}
	for i := 1; i <= len(byArg); i++ {
		out = append(out, byArg[i])
	}
	return out
}

// messageIDs are the constant message ids the module's code says, each
// with where it is first said.
func messageIDs(t *testing.T) map[string]string {
	t.Helper()
	root := moduleRoot(t)
	ids := map[string]string{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (name == "testdata" || strings.HasPrefix(name, ".") || testSupport(name)) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		file, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			if arg := messageArg(call); arg != nil {
				if id, ok := constantString(arg); ok {
					if _, seen := ids[id]; !seen {
						pos := fset.Position(arg.Pos())
						rel, _ := filepath.Rel(root, pos.Filename)
						ids[id] = rel + ":" + strconv.Itoa(pos.Line)
					}
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// testSupport reports whether a package of that name supports tests
// (bot/storetest, adapters/slack/fakeslack): nobody reads what it says.
func testSupport(name string) bool {
	return strings.HasSuffix(name, "test") || strings.HasPrefix(name, "fake")
}

// messageArg is the argument of call that is a message id, or nil when
// call says no message.
func messageArg(call *ast.CallExpr) ast.Expr {
	var name, pkg string
	switch fun := call.Fun.(type) {
	case *ast.Ident:
		name = fun.Name
	case *ast.SelectorExpr:
		name = fun.Sel.Name
		if x, ok := fun.X.(*ast.Ident); ok {
			pkg = x.Name
		}
	default:
		return nil
	}
	switch {
	case name == "Sprintf" && pkg != "fmt" && len(call.Args) > 0:
		return call.Args[0]
	case name == "Text" && len(call.Args) == 1:
		return call.Args[0]
	case name == "N" && (pkg == "" || pkg == "text") && len(call.Args) == 1:
		return call.Args[0]
	case name == "M" && (pkg == "" || pkg == "text") && len(call.Args) > 0:
		return call.Args[0]
	case name == "Errorf" && (pkg == "" || pkg == "bot") && len(call.Args) > 1:
		return call.Args[1]
	}
	return nil
}

// constantString is the value of a string literal, or of literals joined
// by +.
func constantString(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(e.Value)
		return s, err == nil
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return "", false
		}
		x, ok := constantString(e.X)
		y, ok2 := constantString(e.Y)
		return x + y, ok && ok2
	case *ast.ParenExpr:
		return constantString(e.X)
	}
	return "", false
}

func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test")
		}
		dir = parent
	}
}
