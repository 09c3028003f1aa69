package leaks

import (
	"reflect"
	"testing"
)

func TestSentences(t *testing.T) {
	sites := []Site{
		{"line 2", "blocked (chan send)"},
		{"line 7 of In [3]", "running"},
		{"line 2", "blocked (chan send)"},
		{"line 2", "blocked (select)"},
		{"line 7 of In [3]", "running"},
		{"line 7 of In [3]", "running"},
	}
	want := []string{
		"2 goroutines started at line 2 are still blocked (chan send)",
		"3 goroutines started at line 7 of In [3] are still running",
		"1 goroutine started at line 2 is still blocked (select)",
	}
	if got := Sentences(sites, "still "); !reflect.DeepEqual(got, want) {
		t.Errorf("Sentences =\n%q\nwant\n%q", got, want)
	}
	if got := Sentences(sites[:1], ""); !reflect.DeepEqual(got, []string{"1 goroutine started at line 2 is blocked (chan send)"}) {
		t.Errorf("without adverb: %q", got)
	}
	if got := Sentences(nil, "still "); len(got) != 0 {
		t.Errorf("no sites: %q", got)
	}
}
