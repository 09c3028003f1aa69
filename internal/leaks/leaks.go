// Package leaks says in words which goroutines are left and what they do,
// worded one way wherever the kernel says it (the note after a cell, a
// deadlock report, a trace's summary): "2 goroutines started at line 3 are
// still blocked (chan send)".
package leaks

import "strconv"

// Site is where goroutines were started and what they are doing.
type Site struct {
	Where string // "line 3", "line 3 of In [2]"
	What  string // "blocked (chan send)", "running", "runnable"
}

// Sentences tells of the goroutines at sites, one sentence a distinct
// site, in the order sites first appear, with how many stand there. adverb
// goes before what: "still ", or "".
func Sentences(sites []Site, adverb string) []string {
	count := map[Site]int{}
	var order []Site
	for _, s := range sites {
		if count[s] == 0 {
			order = append(order, s)
		}
		count[s]++
	}
	out := make([]string, len(order))
	for i, s := range order {
		out[i] = Sentence(count[s], s, adverb)
	}
	return out
}

// Sentence tells of n goroutines at one site.
func Sentence(n int, s Site, adverb string) string {
	if n == 1 {
		return "1 goroutine started at " + s.Where + " is " + adverb + s.What
	}
	return strconv.Itoa(n) + " goroutines started at " + s.Where + " are " + adverb + s.What
}
