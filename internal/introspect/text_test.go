package introspect

import (
	"strings"
	"testing"
)

// cursorMark marks the cursor in test inputs; it is not valid Go, so it
// cannot be confused with the code around it.
const cursorMark = "‸"

// at removes the cursor mark from s and returns the code and the cursor in
// code points, as a front end would send it.
func at(t *testing.T, s string) (string, int) {
	t.Helper()
	i := strings.Index(s, cursorMark)
	if i < 0 {
		t.Fatalf("no cursor mark in %q", s)
	}
	code := s[:i] + s[i+len(cursorMark):]
	return code, len([]rune(s[:i]))
}

func TestRuneByteConversion(t *testing.T) {
	tests := []struct {
		s            string
		cursor, byte int
	}{
		{"abc", 0, 0},
		{"abc", 2, 2},
		{"abc", 3, 3},
		{"abc", 10, 3}, // past the end is clamped
		{"abc", -1, 0},
		{"héllo", 2, 3}, // é is two bytes
		{"日本語x", 3, 9},
		{"😀.x", 1, 4}, // one code point outside the BMP: four bytes
	}
	for _, tt := range tests {
		if got := runeToByte(tt.s, tt.cursor); got != tt.byte {
			t.Errorf("runeToByte(%q, %d) = %d, want %d", tt.s, tt.cursor, got, tt.byte)
		}
		want := min(max(tt.cursor, 0), len([]rune(tt.s)))
		if got := byteToRune(tt.s, tt.byte); got != want {
			t.Errorf("byteToRune(%q, %d) = %d, want %d", tt.s, tt.byte, got, want)
		}
	}
}
