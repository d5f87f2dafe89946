// Command locale-table asks golang.org/x/text/language, the parser the Mattermost server's
// model.IsValidLocale uses (server/public/model/user.go: at most 5 bytes, then language.Parse), which
// locales it accepts, proves by brute force that a small model with three registries explains every
// verdict up to 5 bytes, and writes the registries for RosterCore and RosterSandbox and the shared test
// table. See ./run for how to run it.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/text/language"
)

// parses is x/text's verdict; the server refuses a tag when Parse returns any error.
func parses(s string) bool {
	_, err := language.Parse(s)
	return err == nil
}

// serverAccepts is model.IsValidLocale.
func serverAccepts(s string) bool { return s == "" || (len(s) <= 5 && parses(s)) }

const letters = "abcdefghijklmnopqrstuvwxyz"

// registries holds what the brute force found: the codes language.Parse knows.
type registries struct {
	lang2, lang3, region2, region3 []string
	lang2Set, lang3Set, region2Set map[string]bool
}

func codes(n int, alphabet string) []string {
	out := []string{""}
	for i := 0; i < n; i++ {
		var next []string
		for _, p := range out {
			for _, c := range alphabet {
				next = append(next, p+string(c))
			}
		}
		out = next
	}
	return out
}

func collect() registries {
	r := registries{lang2Set: map[string]bool{}, lang3Set: map[string]bool{}, region2Set: map[string]bool{}}
	for _, c := range codes(2, letters) {
		if parses(c) {
			r.lang2, r.lang2Set[c] = append(r.lang2, c), true
		}
		if parses("und-" + c) {
			r.region2, r.region2Set[c] = append(r.region2, c), true
		}
	}
	for _, c := range codes(3, letters) {
		if parses(c) {
			r.lang3, r.lang3Set[c] = append(r.lang3, c), true
		}
	}
	for _, c := range codes(3, "0123456789") {
		if parses("und-" + c) {
			r.region3 = append(r.region3, c)
		}
	}
	return r
}

// checkPairs verifies that `lang-REGION` parses exactly when the language and the region each do, for
// every two- and three-letter language and every two-letter and three-digit region, whatever the length.
func checkPairs(r registries) (exceptions []string) {
	regions := append(codes(2, letters), codes(3, "0123456789")...)
	valid := map[string]bool{}
	for _, c := range r.region2 {
		valid[c] = true
	}
	for _, c := range r.region3 {
		valid[c] = true
	}
	for _, l := range append(codes(2, letters), codes(3, letters)...) {
		lv := r.lang2Set[l] || r.lang3Set[l]
		for _, g := range regions {
			if got := parses(l + "-" + strings.ToUpper(g)); got != (lv && valid[g]) {
				exceptions = append(exceptions, l+"-"+strings.ToUpper(g))
			}
		}
	}
	return exceptions
}

// model is the rule the two Swift implementations follow, for strings of at most 5 bytes.
func (r registries) model(s string) bool {
	if s == "" || len(s) > 5 {
		return false
	}
	b := []byte(s)
	for i, c := range b {
		switch {
		case c >= 'A' && c <= 'Z':
			b[i] = c + 'a' - 'A'
		case c == '_':
			b[i] = '-'
		case c >= 0x80:
			return rootQuirk(s)
		}
	}
	f := string(b)
	parts := strings.Split(f, "-")
	for _, p := range parts {
		if p == "" || strings.Trim(p, letters+"0123456789") != "" {
			return false
		}
	}
	switch {
	case parts[0] == "x":
		return len(parts) > 1 // private use: x-a, x-ab, x-abc, x-a-b, x-1
	case f == "root" || (parts[0] == "i" && len(parts) == 2 && grandfatheredI[parts[1]]):
		return true
	case len(parts) == 1:
		return r.lang2Set[f] || r.lang3Set[f]
	case len(parts) == 2:
		return r.lang2Set[parts[0]] && r.region2Set[parts[1]]
	}
	return false
}

// grandfatheredI are the legacy i-xxx tags of at most 5 characters (x/text internal/language lookup.go).
var grandfatheredI = map[string]bool{"ami": true, "bnn": true, "hak": true, "lux": true, "pwn": true,
	"tao": true, "tay": true, "tsu": true}

// rootQuirk: Parse matches legacy tags on a buffer holding one byte per character (the low byte of a
// non-ASCII one), so "roo" plus a two-byte character whose low byte is 't' reads as "root".
func rootQuirk(s string) bool {
	rs := []rune(s)
	return len(s) == 5 && len(rs) == 4 && strings.EqualFold(string(rs[:3]), "roo") && rs[3] >= 0x80 &&
		rs[3] < 0x800 && rs[3]&0xff == 't'
}

func main() {
	out := flag.String("out", ".", "the repository root to write the generated files into")
	quick := flag.Bool("quick", false, "skip the exhaustive checks (minutes); generate only")
	flag.Parse()
	r := collect()
	fmt.Printf("x/text: %d two-letter languages, %d three-letter, %d two-letter regions, %d three-digit regions\n",
		len(r.lang2), len(r.lang3), len(r.region2), len(r.region3))
	fmt.Printf("deprecated aliases kept: iw=%v in=%v ji=%v jw=%v mo=%v sh=%v tl=%v; und=%v root=%v\n",
		r.lang2Set["iw"], r.lang2Set["in"], r.lang2Set["ji"], r.lang2Set["jw"], r.lang2Set["mo"],
		r.lang2Set["sh"], r.lang2Set["tl"], r.lang3Set["und"], parses("root"))
	failed := false
	if !*quick {
		exceptions := checkPairs(r)
		fmt.Printf("lang-REGION == lang valid AND region valid: %d exceptions %v\n", len(exceptions), first(exceptions))
		mismatches := exhaustive(r)
		fmt.Printf("model vs language.Parse: %d mismatches %v\n", len(mismatches), first(mismatches))
		failed = len(exceptions) > 0 || len(mismatches) > 0
	}
	rows := verdictRows(r)
	for _, row := range rows {
		if row.server != r.modelServer(row.tag) {
			fmt.Printf("model disagrees on table row %q\n", row.tag)
			failed = true
		}
	}
	write(filepath.Join(*out, "Sources/RosterCore/ServerRules/LocaleRegistry.swift"), coreRegistry(r))
	write(filepath.Join(*out, "Sources/RosterSandbox/SandboxLocaleRegistry.swift"), sandboxRegistry(r))
	write(filepath.Join(*out, "Tests/locale-verdicts.json"), verdictJSON(rows))
	fmt.Printf("wrote the registries and %d table rows\n", len(rows))
	if failed {
		fmt.Println("FAILED: the tables do not explain x/text; the Swift rule needs more than these registries")
		os.Exit(1)
	}
}

func (r registries) modelServer(s string) bool { return s == "" || r.model(s) }

func first(xs []string) []string {
	if len(xs) > 20 {
		return xs[:20]
	}
	return xs
}

func write(path, text string) {
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
