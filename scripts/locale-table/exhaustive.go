package main

import (
	"fmt"
	"strings"
)

// exhaustive compares the model with language.Parse on every string the server could accept: all
// strings of 1 to 5 characters over a-z, 0-9 and '-' (71 million); every upper-case and '_' spelling of
// each one that parses and of a sample of the others; every string of up to 3 printable ASCII
// characters; each accepted string with one character replaced by any printable one; and non-ASCII
// characters (all two-byte ones, a sample of longer ones) before and after short ASCII strings.
func exhaustive(r registries) (mismatches []string) {
	check := func(s string) {
		if parses(s) != r.model(s) && len(mismatches) < 1000 {
			mismatches = append(mismatches, s)
		}
	}
	folded := letters + "0123456789-"
	var accepted []string
	count := 0
	var walk func(prefix string, depth int)
	walk = func(prefix string, depth int) {
		if prefix != "" {
			count++
			ok := parses(prefix)
			if ok != r.model(prefix) && len(mismatches) < 1000 {
				mismatches = append(mismatches, prefix)
			}
			if ok {
				accepted = append(accepted, prefix)
			} else if count%7 == 0 {
				check(spelling(prefix, count))
			}
		}
		if depth == 5 {
			return
		}
		for _, c := range folded {
			walk(prefix+string(c), depth+1)
		}
	}
	walk("", 0)
	fmt.Printf("  %d folded strings, %d parse\n", count, len(accepted))
	for _, s := range accepted {
		for mask := 0; mask < 1<<len(s); mask++ {
			check(spellingMask(s, mask))
		}
	}
	printable := make([]string, 0, 95)
	for c := 0x20; c < 0x7f; c++ {
		printable = append(printable, string(rune(c)))
	}
	for _, a := range printable {
		check(a)
		for _, b := range printable {
			check(a + b)
			for _, c := range printable {
				check(a + b + c)
			}
		}
	}
	for i, s := range accepted {
		if i%5 != 0 {
			continue
		}
		for p := range s {
			for _, c := range printable {
				check(s[:p] + c + s[p+1:])
			}
		}
	}
	short := []string{""}
	for _, p := range codesUpTo(3, letters+"-") {
		short = append(short, p)
	}
	for cp := rune(0x80); cp < 0x800; cp++ {
		for _, p := range short {
			check(p + string(cp))
			check(string(cp) + p)
		}
	}
	for cp := rune(0x800); cp < 0x110000; cp += 97 {
		for _, p := range short[:1+27+27*27] {
			check(p + string(cp))
			check(string(cp) + p)
		}
	}
	return mismatches
}

func codesUpTo(n int, alphabet string) (out []string) {
	for i := 1; i <= n; i++ {
		out = append(out, codes(i, alphabet)...)
	}
	return out
}

// spelling is one deterministic mixed-case, '_'-separated spelling of a folded string.
func spelling(s string, seed int) string { return spellingMask(s, seed*2654435761>>7) }

func spellingMask(s string, mask int) string {
	var b strings.Builder
	for i, c := range s {
		switch {
		case mask>>i&1 == 0:
			b.WriteRune(c)
		case c == '-':
			b.WriteByte('_')
		default:
			b.WriteString(strings.ToUpper(string(c)))
		}
	}
	return b.String()
}
